import { ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { freePort } from '@ledger/platform';
import { compiledApp } from '../../support/compiled-apps';
import { eventually } from '../../support/eventually';

const REPO_ROOT = resolve(__dirname, '../../..');

/** Secrets the test configures, so it can sign tokens the server accepts. */
export interface LedgerSecretsForTests {
  tokenKey: string;
  subjectKey: string;
  folioKey: string;
}

export interface LedgerServer {
  readonly baseUrl: string;
  readonly port: number;
  readonly dataDir: string;
  readonly secrets: LedgerSecretsForTests;
  /** Everything the process wrote so far (stdout and stderr). */
  output(): string;
  /** Sends a signal and waits for the process to exit. */
  kill(signal?: NodeJS.Signals): Promise<number | null>;
}

export interface StartOptions {
  /** Omit for embedded mode (PostgreSQL under dataDir). */
  databaseUrl?: string;
  dataDir?: string;
  secrets?: LedgerSecretsForTests;
  env?: Record<string, string>;
  /** How long to wait for /health. */
  readyTimeoutMs?: number;
  /** Start through `npm start` (ts-node), or `npm run start:prod` (dist/), exactly as the README says, instead of node directly. */
  viaNpmStart?: boolean | 'start:prod';
  /** Leave the secrets unconfigured: the server generates them into the data folder. */
  secretsFromDataDir?: boolean;
}

export function newSecrets(): LedgerSecretsForTests {
  const key = () => randomBytes(32).toString('base64url');
  return { tokenKey: key(), subjectKey: key(), folioKey: key() };
}

export function temporaryDataDir(): { dir: string; remove: () => void } {
  const dir = mkdtempSync(join(tmpdir(), 'ledger-e2e-'));
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

/**
 * Starts the real ledger (apps/ledger, compiled into dist/ as `npm run start:prod` runs it) as its own Node process.
 * NestJS 12 is published as ES modules, which Jest's CommonJS runtime cannot
 * load, so end-to-end suites drive the server over HTTP from outside, exactly
 * as a client would.
 */
export async function startLedgerServer(options: StartOptions): Promise<LedgerServer> {
  const port = await freePort();
  const dataDir = options.dataDir ?? mkdtempSync(join(tmpdir(), 'ledger-e2e-'));
  const secrets = options.secrets ?? newSecrets();
  const env: NodeJS.ProcessEnv = { ...process.env, PORT: String(port), LEDGER_DATA_DIR: dataDir, LOG_LEVEL: process.env.LEDGER_E2E_LOG_LEVEL ?? 'warn' };
  for (const name of ['DATABASE_URL', 'EVENTSTORE_CONNECTION_STRING', 'LEDGER_TOKEN_KEY', 'LEDGER_SUBJECT_KEY', 'LEDGER_FOLIO_KEY']) delete env[name];
  if (!options.secretsFromDataDir) Object.assign(env, { LEDGER_TOKEN_KEY: secrets.tokenKey, LEDGER_SUBJECT_KEY: secrets.subjectKey, LEDGER_FOLIO_KEY: secrets.folioKey });
  if (options.databaseUrl) env.DATABASE_URL = options.databaseUrl;
  Object.assign(env, options.env);
  // Its own process group, so that a kill reaches npm, node and an embedded PostgreSQL alike.
  const child = options.viaNpmStart
    ? spawn('npm', options.viaNpmStart === 'start:prod' ? ['run', 'start:prod', '--silent'] : ['start', '--silent'], { cwd: REPO_ROOT, env, stdio: ['ignore', 'pipe', 'pipe'], detached: true })
    : spawn(process.execPath, [compiledApp('ledger')], {
        cwd: REPO_ROOT,
        env,
        stdio: ['ignore', 'pipe', 'pipe'],
        detached: true,
      });
  let output = '';
  child.stdout?.on('data', (chunk) => (output += chunk));
  child.stderr?.on('data', (chunk) => (output += chunk));
  const baseUrl = `http://127.0.0.1:${port}`;
  try {
    await waitUntilHealthy(baseUrl, child, () => output, options.readyTimeoutMs ?? 90_000);
  } catch (error) {
    if (!options.dataDir) rmSync(dataDir, { recursive: true, force: true });
    throw error;
  }
  // A data folder made here is removed with the server; one passed in belongs to the test (it may restart on it).
  const kill = async (signal: NodeJS.Signals = 'SIGTERM') => {
    const code = await stop(child, signal);
    if (!options.dataDir) rmSync(dataDir, { recursive: true, force: true });
    return code;
  };
  return { baseUrl, port, dataDir, secrets, output: () => output, kill };
}

async function waitUntilHealthy(baseUrl: string, child: ChildProcess, output: () => string, timeoutMs: number): Promise<void> {
  try {
    await eventually(
      async () => {
        if (child.exitCode !== null) throw new Error(`ledger exited with ${child.exitCode} before it was ready:\n${output()}`);
        // Not listening yet is not yet healthy.
        return fetch(`${baseUrl}/health`).then((response) => response.status === 200, () => false);
      },
      timeoutMs,
      150,
      () => `the ledger to be healthy; its output:\n${output()}`,
    );
  } catch (error) {
    await stop(child, 'SIGKILL');
    throw error;
  }
}

/** Signals the whole process group (npm, node, an embedded PostgreSQL) and waits for the leader to exit. */
function stop(child: ChildProcess, signal: NodeJS.Signals): Promise<number | null> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve(child.exitCode);
  return new Promise((resolveExit) => {
    child.once('exit', (code) => resolveExit(code));
    try {
      process.kill(-(child.pid as number), signal);
    } catch {
      child.kill(signal);
    }
  });
}

/** Runs the CLI (`npm run ledger -- …`, compiled, without npm) and returns its exit code and output. */
export function runCli(args: string[], env: Record<string, string>): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const cliEnv: NodeJS.ProcessEnv = { ...process.env, ...env };
  return new Promise((resolveRun) => {
    const child = spawn(process.execPath, [compiledApp('cli'), ...args], {
      cwd: REPO_ROOT,
      env: cliEnv,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout?.on('data', (chunk) => (stdout += chunk));
    child.stderr?.on('data', (chunk) => (stderr += chunk));
    child.on('exit', (code) => resolveRun({ code, stdout, stderr }));
  });
}
