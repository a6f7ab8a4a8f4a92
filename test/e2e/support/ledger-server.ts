import { ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

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
}

export function newSecrets(): LedgerSecretsForTests {
  const key = () => randomBytes(32).toString('base64url');
  return { tokenKey: key(), subjectKey: key(), folioKey: key() };
}

export async function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolvePort(port));
    });
  });
}

export function temporaryDataDir(): { dir: string; remove: () => void } {
  const dir = mkdtempSync(join(tmpdir(), 'ledger-e2e-'));
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

/**
 * Starts the real ledger (apps/ledger/src/main.ts) as its own Node process.
 * NestJS 12 is published as ES modules, which Jest's CommonJS runtime cannot
 * load, so end-to-end suites drive the server over HTTP from outside, exactly
 * as a client would.
 */
export async function startLedgerServer(options: StartOptions): Promise<LedgerServer> {
  const port = await freePort();
  const dataDir = options.dataDir ?? mkdtempSync(join(tmpdir(), 'ledger-e2e-'));
  const secrets = options.secrets ?? newSecrets();
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    PORT: String(port),
    LEDGER_DATA_DIR: dataDir,
    LEDGER_TOKEN_KEY: secrets.tokenKey,
    LEDGER_SUBJECT_KEY: secrets.subjectKey,
    LEDGER_FOLIO_KEY: secrets.folioKey,
    LOG_LEVEL: process.env.LEDGER_E2E_LOG_LEVEL ?? 'warn',
    ...options.env,
  };
  delete env.DATABASE_URL;
  if (options.databaseUrl) env.DATABASE_URL = options.databaseUrl;
  const child = spawn(
    process.execPath,
    ['-r', 'ts-node/register/transpile-only', '-r', 'tsconfig-paths/register', 'apps/ledger/src/main.ts'],
    { cwd: REPO_ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let output = '';
  child.stdout?.on('data', (chunk) => (output += chunk));
  child.stderr?.on('data', (chunk) => (output += chunk));
  const baseUrl = `http://127.0.0.1:${port}`;
  await waitUntilHealthy(baseUrl, child, () => output, options.readyTimeoutMs ?? 60_000);
  return { baseUrl, port, dataDir, secrets, output: () => output, kill: (signal = 'SIGTERM') => stop(child, signal) };
}

async function waitUntilHealthy(baseUrl: string, child: ChildProcess, output: () => string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`ledger exited with ${child.exitCode} before it was ready:\n${output()}`);
    try {
      const response = await fetch(`${baseUrl}/health`);
      if (response.status === 200) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 150));
  }
  child.kill('SIGKILL');
  throw new Error(`ledger not healthy after ${timeoutMs} ms:\n${output()}`);
}

function stop(child: ChildProcess, signal: NodeJS.Signals): Promise<number | null> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve(child.exitCode);
  return new Promise((resolveExit) => {
    child.once('exit', (code) => resolveExit(code));
    child.kill(signal);
  });
}
