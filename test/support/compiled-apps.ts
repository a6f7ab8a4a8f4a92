import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';

const REPO_ROOT = resolve(__dirname, '../..');

export type LedgerApp = 'ledger' | 'cli' | 'projector';

/**
 * The entry point of an app as `npm run build` compiles it into dist/, the
 * files `npm run start:prod` runs. The end-to-end suites start their ledgers,
 * CLIs and projectors from it: loading compiled JavaScript takes a process a
 * third of the time ts-node's transpiling on every start takes, and the suite
 * starts a few hundred. (`npm start` through ts-node keeps its own tests: the
 * README walkthrough starts the ledger exactly as a newcomer does.)
 */
export function compiledApp(app: LedgerApp): string {
  const main = join(REPO_ROOT, 'dist', 'apps', app, 'src', 'main.js');
  if (!existsSync(main)) throw new Error(`${main} is missing: the test run's global setup builds it (npm run build)`);
  return main;
}

/** `npm run build`, incremental: a second build with nothing changed takes a couple of seconds. */
export function buildApps(): void {
  execFileSync('npm', ['run', '-s', 'build'], { cwd: REPO_ROOT, stdio: ['ignore', 'inherit', 'inherit'] });
}
