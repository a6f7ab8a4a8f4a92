import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { compiledApp } from '../../support/compiled-apps';

const REPO_ROOT = resolve(__dirname, '../../..');

export interface ProjectorProcess {
  readonly pid: number;
  output(): string;
  /** Sends the signal and resolves once the process has exited. */
  kill(signal: NodeJS.Signals): Promise<void>;
}

/**
 * apps/projector as a real child process on the suite's database, as an
 * operator would run it (a crash test needs a process it can SIGKILL).
 */
export function startProjector(databaseUrl: string, env: Record<string, string> = {}): ProjectorProcess {
  const dataDir = mkdtempSync(join(tmpdir(), 'ledger-projector-'));
  const child: ChildProcess = spawn(
    process.execPath,
    [compiledApp('projector')],
    {
      cwd: REPO_ROOT,
      env: { ...process.env, DATABASE_URL: databaseUrl, LEDGER_DATA_DIR: dataDir, EVENTSTORE_CONNECTION_STRING: '', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let output = '';
  child.stdout?.on('data', (chunk) => (output += chunk));
  child.stderr?.on('data', (chunk) => (output += chunk));
  const exited = new Promise<void>((resolveExit) => child.once('exit', () => resolveExit()));
  void exited.then(() => rmSync(dataDir, { recursive: true, force: true }));
  return {
    pid: child.pid!,
    output: () => output,
    kill: async (signal) => {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      await exited;
    },
  };
}
