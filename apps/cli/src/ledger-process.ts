import { spawn, type ChildProcess, type StdioOptions } from 'node:child_process';
import { existsSync } from 'node:fs';
import { extname, resolve } from 'node:path';

/** Entry points of the ledger app that the CLI starts as processes (apps talk through processes and HTTP, never imports). */
export type LedgerEntryPoint = 'main' | 'tasks/import-task';

/**
 * The command line of a ledger entry point as this CLI runs: compiled
 * (dist/apps/ledger/src/…js, plain node) when the CLI is compiled, from
 * source through ts-node when it runs from source (`npm run ledger`).
 */
export function ledgerCommandLine(entry: LedgerEntryPoint, args: readonly string[] = []): string[] {
  const fromSource = extname(__filename) === '.ts';
  const file = resolve(__dirname, '..', '..', 'ledger', 'src', `${entry}${fromSource ? '.ts' : '.js'}`);
  if (!existsSync(file)) throw new Error(`the ledger's ${entry} is not at ${file}${fromSource ? '' : ' (run npm run build)'}`);
  const hooks = fromSource ? ['-r', require.resolve('ts-node/register/transpile-only'), '-r', require.resolve('tsconfig-paths/register')] : [];
  return [...hooks, file, ...args];
}

/**
 * Starts a ledger entry point as a child process with the CLI's environment
 * (plus `env`), tied to this process (LEDGER_LIFELINE: it ends when the CLI
 * does, however the CLI ends).
 */
export function startLedgerProcess(entry: LedgerEntryPoint, args: readonly string[], options: { env?: NodeJS.ProcessEnv; stdout?: 'inherit' | 'stderr' } = {}): ChildProcess {
  // `stderr`: the child's output goes where the CLI's diagnostics go, leaving the CLI's stdout to its own answer.
  const stdio: StdioOptions = ['pipe', options.stdout === 'stderr' ? 2 : 'inherit', 'inherit'];
  // The CLI's own working directory: LEDGER_DATA_DIR's default (./.ledger-data) is relative to it.
  return spawn(process.execPath, ledgerCommandLine(entry, args), {
    env: { ...process.env, ...options.env, LEDGER_LIFELINE: 'stdin' },
    stdio,
  });
}

/** Resolves with the child's exit code (1 when a signal ended it). */
export function exitOf(child: ChildProcess): Promise<number> {
  return new Promise((resolveExit, reject) => {
    child.once('error', reject);
    child.once('exit', (code) => resolveExit(code ?? 1));
  });
}
