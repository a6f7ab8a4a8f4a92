import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { closeSync, openSync } from 'node:fs';
import { resolve } from 'node:path';
import { nodeArgsFrom, sleep, tail, track } from './bench-support';

const REPO_ROOT = resolve(__dirname, '../..');

/**
 * How the benches start the ledger: `compiled` (the default) as `npm run
 * start:prod` does, node on dist/apps/ledger/src/main.js, which the bench
 * builds first (`npm run build`, incremental: seconds when nothing changed);
 * `source` as `npm start` does, through ts-node. The production start is
 * the one whose speed matters; `source` carries what ts-node adds to every
 * request of a development server (it loads node:repl, and with it
 * node:domain and an async hook on every asynchronous resource).
 * BENCH_LEDGER=source npm run bench:http measures that one.
 */
export type LedgerStart = 'compiled' | 'source';

export function ledgerStart(): LedgerStart {
  const start = process.env.BENCH_LEDGER ?? 'compiled';
  if (start !== 'compiled' && start !== 'source') throw new Error(`BENCH_LEDGER is compiled or source, not ${JSON.stringify(start)}`);
  return start;
}

let built = false;

/** The compiled apps, built once per bench run (the same incremental `npm run build` the test run's global setup does). */
function buildOnce(): void {
  if (built) return;
  execFileSync('npm', ['run', '-s', 'build'], { cwd: REPO_ROOT, stdio: ['ignore', 'inherit', 'inherit'] });
  built = true;
}

/** The ledger as `npm run start:prod` runs it, or as `npm start` does (ledgerStart()). */
export function startLedger(
  url: string,
  port: number,
  dataDir: string,
  secrets: { tokenKey: string; subjectKey: string; folioKey: string; masterKey: string },
  logFile: string,
  children: Set<ChildProcess>,
  /** Settings of the bench's own, over the defaults above (e.g. LEDGER_PROJECTOR=off with a log key given). */
  extraEnv: NodeJS.ProcessEnv = {},
): ChildProcess {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    DATABASE_URL: url,
    LEDGER_DATA_DIR: dataDir,
    PORT: String(port),
    LEDGER_RATE_LIMIT: 'off',
    LEDGER_TOKEN_KEY: secrets.tokenKey,
    LEDGER_SUBJECT_KEY: secrets.subjectKey,
    LEDGER_FOLIO_KEY: secrets.folioKey,
    LEDGER_MASTER_KEY: secrets.masterKey,
  };
  for (const name of ['EVENTSTORE_CONNECTION_STRING', 'LEDGER_PROJECTOR', 'LEDGER_LOG_KEY', 'LEDGER_LOG_ORIGIN', 'LEDGER_OIDC_ISSUER', 'LEDGER_OIDC_AUDIENCE']) delete env[name];
  Object.assign(env, extraEnv);
  const log = openSync(logFile, 'a');
  const start = ledgerStart();
  if (start === 'compiled') buildOnce();
  const entry = start === 'compiled' ? ['dist/apps/ledger/src/main.js'] : ['-r', 'ts-node/register/transpile-only', '-r', 'tsconfig-paths/register', 'apps/ledger/src/main.ts'];
  const args = [...nodeArgsFrom('BENCH_SERVER_NODE_ARGS'), ...entry];
  const child = track(children, spawn(process.execPath, args, { cwd: REPO_ROOT, env, stdio: ['ignore', log, log], detached: true }));
  closeSync(log);
  return child;
}

interface Readiness {
  status: string;
  reasons: string[];
  head: string | null;
  projections: { name: string; checkpoint: string | null; parked: number }[];
}

/**
 * Until /health/ready says ready and every projection stands at the head
 * it names: the ledger's own word that it has folded everything. Fails on
 * parked events, on the ledger exiting, and on no progress for two minutes.
 */
export async function waitForProjections(base: string, ledger: ChildProcess, logFile: string, what: string, quiet = false): Promise<{ seconds: number; head: bigint }> {
  const started = performance.now();
  let lastProgress = performance.now();
  let lowest = -2n;
  let printed = 0;
  for (;;) {
    if (ledger.exitCode !== null) throw new Error(`the ledger exited with ${ledger.exitCode}: ${tail(logFile, 40)}`);
    const response = await fetch(`${base}/health/ready`);
    const body = (await response.json()) as Readiness;
    const parked = body.projections.filter((p) => p.parked > 0);
    if (parked.length > 0) throw new Error(`projections parked events: ${parked.map((p) => `${p.name} ${p.parked}`).join(', ')}; ${body.reasons.join('; ')}`);
    const head = body.head === null ? -1n : BigInt(body.head);
    const checkpoints = body.projections.map((p) => (p.checkpoint === null ? -1n : BigInt(p.checkpoint)));
    const min = checkpoints.length === 0 ? -1n : checkpoints.reduce((a, b) => (b < a ? b : a));
    const seconds = (performance.now() - started) / 1000;
    if (response.status === 200 && body.head !== null && min >= head) {
      if (!quiet || seconds > 1) process.stdout.write(`${quiet ? '  ' : process.stdout.isTTY ? '\r\x1b[K' : '\n'}${what}: caught up at position ${head} in ${seconds.toFixed(1)} s\n`);
      return { seconds, head };
    }
    if (min > lowest) {
      lowest = min;
      lastProgress = performance.now();
    } else if (performance.now() - lastProgress > 120_000) {
      throw new Error(`${what}: no progress for 120 s at ${min} of ${head}; ${body.reasons.join('; ')}; the ledger's log: ${tail(logFile, 40)}`);
    }
    if (!quiet && performance.now() - printed > 2_000) {
      printed = performance.now();
      process.stdout.write(`\r${what}: ${(min < 0n ? 0n : min).toLocaleString()} of ${head.toLocaleString()} (${seconds.toFixed(0)} s)   `);
    }
    await sleep(250);
  }
}
