/**
 * The access log's cost on a route that shows personal data, in one run on
 * one embedded PostgreSQL, the access log off and on in alternating rounds
 * against the same server (shared machines are noisy: the ratio travels, the
 * absolute figures do not):
 *
 *   GET /v1/certificates?limit=50 (a page of 50 holders' names, so 50
 *   subjects recorded per answer), pages picked at random, from
 *   `connections` keep-alive connections for `seconds` after a warm-up, as a
 *   comptroller. "Off" replaces AccessLog.record in the server with a no-op
 *   (by a message from this process, never by configuration: the ledger has
 *   no switch to stop recording); "on" is the ledger as it runs. Rounds go
 *   off-on, on-off, off-on... so that a drift of the machine's speed bills
 *   both alike. Reported: requests/s, p50 and p99, the best round of each
 *   (neighbours' noise only ever slows a round down) and their ratio on/off;
 *   the median of each pair's ratio; the CPU time the ledger and its
 *   PostgreSQL (every process under the server) spent per answer, and its
 *   ratio (the figure noise disturbs least: what the access log costs in
 *   work, whatever the neighbours do); and the entries the log wrote during
 *   the "on" rounds (one per answer). Target: within a few percent.
 *
 *   npm run bench:access-log
 *   npm run bench:access-log -- --certificates 500 --rounds 5 --seconds 10 --connections 16
 *
 * The server runs in a child process (this file with --serve), as `npm start` runs the ledger.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from '@ledger/platform';
import { callersFor, competentProcess, post, seedReferenceData, type Callers } from '../test/e2e/support/ledger-client';
import { newSecrets, type LedgerServer } from '../test/e2e/support/ledger-server';
import { autocannon, cpuSecondsOfTree, nodeArgsFrom, percentile } from './support/bench-support';

const SERVE_FLAG = '--serve';
const WARM_UP_SECONDS = 2;

interface Options {
  certificates: number;
  rounds: number;
  seconds: number;
  connections: number;
}

interface Round {
  mode: 'off' | 'on';
  requestsPerSecond: number;
  p50: number;
  p99: number;
  failures: number;
  entriesWritten: number;
  /** CPU milliseconds of the server and its PostgreSQL per answer. */
  cpuMsPerAnswer: number;
}

type ToServer = { accessLog: 'off' | 'on' } | { count: true };
interface FromServer {
  ack: true;
  entries: number;
}

function parseOptions(args: readonly string[]): Options {
  const options: Options = { certificates: 250, rounds: 3, seconds: 8, connections: 8 };
  for (let i = 0; i < args.length; i += 2) {
    const key = args[i].replace(/^--/, '') as keyof Options;
    const value = Number(args[i + 1]);
    if (!(key in options) || !Number.isInteger(value) || value < 1) throw new Error(`Unknown option or bad value: ${args[i]} ${args[i + 1]}`);
    options[key] = value;
  }
  return options;
}

async function main(): Promise<void> {
  if (process.argv.includes(SERVE_FLAG)) return serve();
  const options = parseOptions(process.argv.slice(2));
  const dataDir = mkdtempSync(join(tmpdir(), 'bench-access-log-'));
  const port = await freePort();
  const secrets = newSecrets();
  // BENCH_SERVER_NODE_ARGS: Node's options for the server (say `--cpu-prof --cpu-prof-dir=/tmp/prof`, which NODE_OPTIONS refuses).
  const nodeArgs = nodeArgsFrom('BENCH_SERVER_NODE_ARGS');
  const child = spawn(process.execPath, [...nodeArgs, '-r', 'ts-node/register/transpile-only', '-r', 'tsconfig-paths/register', __filename, SERVE_FLAG], {
    env: {
      ...process.env,
      PORT: String(port),
      LEDGER_DATA_DIR: dataDir,
      LOG_LEVEL: 'warn',
      LEDGER_RATE_LIMIT: 'off',
      LEDGER_TOKEN_KEY: secrets.tokenKey,
      LEDGER_SUBJECT_KEY: secrets.subjectKey,
      LEDGER_FOLIO_KEY: secrets.folioKey,
    },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  try {
    const baseUrl = `http://127.0.0.1:${port}`;
    await untilHealthy(baseUrl, child);
    const server = { baseUrl, port, dataDir, secrets, output: () => '', kill: async () => null } as LedgerServer;
    const callers = callersFor(server);
    process.stdout.write(`Seeding ${options.certificates} certificates…\n`);
    const paths = await seed(server, callers, options.certificates);
    const rounds: Round[] = [];
    for (let round = 0; round < options.rounds; round += 1) {
      for (const mode of round % 2 === 0 ? (['off', 'on'] as const) : (['on', 'off'] as const)) {
        await ask(child, { accessLog: mode });
        await load(baseUrl, paths, callers.comptroller, { ...options, seconds: WARM_UP_SECONDS });
        const before = (await ask(child, { count: true })).entries;
        const cpuBefore = cpuSecondsOfTree(child.pid as number);
        const measured = await load(baseUrl, paths, callers.comptroller, options);
        const cpu = cpuSecondsOfTree(child.pid as number) - cpuBefore;
        const after = (await ask(child, { count: true })).entries;
        rounds.push({ mode, ...measured, entriesWritten: after - before, cpuMsPerAnswer: (cpu * 1000) / measured.answers });
        process.stdout.write(`round ${round + 1} ${mode.padEnd(3)} ${describe(rounds[rounds.length - 1])}\n`);
      }
    }
    report(rounds, options);
  } finally {
    await stop(child);
    rmSync(dataDir, { recursive: true, force: true });
  }
}

/** Reference data, then `count` certified holders; returns the paths of every page of 50 certificates. */
async function seed(server: LedgerServer, callers: Callers, count: number): Promise<string[]> {
  await seedReferenceData(server, callers);
  const processIds: string[] = [];
  for (let n = 0; n < count; n += 1) processIds.push(await competentProcess(server, callers));
  const issued = await post(server, '/v1/certificate-batches', callers.certifier, { processIds, issuedAt: '2018-11-13T18:00:00Z' });
  if (issued.status !== 200) throw new Error(`batch issue: ${issued.status} ${JSON.stringify(issued.body)}`);
  // The batch answers no position: wait until the read models list every certificate.
  const deadline = Date.now() + 120_000;
  for (;;) {
    const paths = await pagesOfCertificates(server, callers);
    if (paths.certificates >= count) return paths.paths;
    if (Date.now() > deadline) throw new Error(`only ${paths.certificates} of ${count} certificates listed after 120 s`);
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
}

async function pagesOfCertificates(server: LedgerServer, callers: Callers): Promise<{ paths: string[]; certificates: number }> {
  const paths: string[] = [];
  let certificates = 0;
  for (let cursor: string | null = null, first = true; first || cursor; first = false) {
    const path = `/v1/certificates?limit=50${cursor ? `&cursor=${cursor}` : ''}`;
    const response = await fetch(`${server.baseUrl}${path}`, { headers: { Authorization: callers.comptroller } });
    if (response.status !== 200) throw new Error(`${path}: ${response.status} ${await response.text()}`);
    const page = (await response.json()) as { items: unknown[]; nextCursor: string | null };
    if (page.items.length > 0) paths.push(path);
    certificates += page.items.length;
    cursor = page.nextCursor;
  }
  return { paths, certificates };
}

async function load(base: string, paths: readonly string[], authorization: string, options: Options): Promise<Omit<Round, 'mode' | 'entriesWritten' | 'cpuMsPerAnswer'> & { answers: number }> {
  const latencies: number[] = [];
  let failures = 0;
  const pick = () => paths[Math.floor(Math.random() * paths.length)];
  const instance = autocannon({
    url: base,
    connections: options.connections,
    duration: options.seconds,
    headers: { authorization },
    requests: [{ method: 'GET', setupRequest: (request) => ({ ...request, path: pick() }) }],
  });
  instance.on('response', (_client, statusCode, _bytes, responseTimeMs) => {
    if (statusCode === 200) latencies.push(responseTimeMs);
    else failures += 1;
  });
  const result = await instance;
  // Requests the load generator gave up on as it stopped are still answered (and recorded): let them finish.
  await new Promise((resolve) => setTimeout(resolve, 500));
  return {
    answers: latencies.length + failures,
    requestsPerSecond: latencies.length / result.duration,
    p50: percentile(latencies, 0.5),
    p99: percentile(latencies, 0.99),
    failures: failures + result.errors + result.timeouts,
  };
}

function report(rounds: readonly Round[], options: Options): void {
  const best = (mode: Round['mode']) => rounds.filter((round) => round.mode === mode).reduce((a, b) => (b.requestsPerSecond > a.requestsPerSecond ? b : a));
  const off = best('off');
  const on = best('on');
  const ratio = on.requestsPerSecond / off.requestsPerSecond;
  const pairs = pairsOf(rounds);
  const median = (values: number[]) => percentile(values, 0.5);
  const throughputRatios = pairs.map(([offRound, onRound]) => onRound.requestsPerSecond / offRound.requestsPerSecond);
  const cpuRatios = pairs.map(([offRound, onRound]) => onRound.cpuMsPerAnswer / offRound.cpuMsPerAnswer);
  const cpuOff = median(rounds.filter((round) => round.mode === 'off').map((round) => round.cpuMsPerAnswer));
  const cpuOn = median(rounds.filter((round) => round.mode === 'on').map((round) => round.cpuMsPerAnswer));
  const written = rounds.filter((round) => round.mode === 'on').reduce((sum, round) => sum + round.entriesWritten, 0);
  const leaked = rounds.filter((round) => round.mode === 'off').reduce((sum, round) => sum + round.entriesWritten, 0);
  process.stdout.write(
    [
      '',
      `GET /v1/certificates?limit=50 (50 subjects per answer), ${options.connections} connections, ${options.seconds} s rounds, best of ${options.rounds}:`,
      `  access log off  ${describe(off)}`,
      `  access log on   ${describe(on)}`,
      `  on/off throughput ${ratio.toFixed(3)}x (${((1 - ratio) * 100).toFixed(1)} % slower; target: within a few percent)`,
      `  p50 ${(on.p50 / off.p50).toFixed(3)}x, p99 ${(on.p99 / off.p99).toFixed(3)}x`,
      `  paired rounds, on/off throughput: ${throughputRatios.map((ratio) => ratio.toFixed(3)).join(', ')}; median ${median(throughputRatios).toFixed(3)}x`,
      `  CPU per answer (ledger and its PostgreSQL), median: off ${cpuOff.toFixed(3)} ms, on ${cpuOn.toFixed(3)} ms`,
      `  paired rounds, on/off CPU per answer: ${cpuRatios.map((ratio) => ratio.toFixed(3)).join(', ')}; median ${median(cpuRatios).toFixed(3)}x`,
      `  entries written during the "on" rounds: ${written} (one per answer); during "off": ${leaked}`,
      '',
    ].join('\n'),
  );
}

function describe(round: Round): string {
  return `${round.requestsPerSecond.toFixed(0).padStart(6)} req/s  p50 ${round.p50.toFixed(2)} ms  p99 ${round.p99.toFixed(2)} ms  CPU ${round.cpuMsPerAnswer.toFixed(3)} ms/answer  failures ${round.failures}`;
}

/** Each round's off and on rounds, in the order they ran. */
function pairsOf(rounds: readonly Round[]): [Round, Round][] {
  const pairs: [Round, Round][] = [];
  for (let at = 0; at + 1 < rounds.length; at += 2) {
    const [first, second] = [rounds[at], rounds[at + 1]];
    pairs.push(first.mode === 'off' ? [first, second] : [second, first]);
  }
  return pairs;
}

async function untilHealthy(baseUrl: string, child: ChildProcess): Promise<void> {
  const deadline = Date.now() + 120_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`the ledger exited with ${child.exitCode}`);
    try {
      if ((await fetch(`${baseUrl}/health`)).status === 200) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error('the ledger did not become healthy within 120 s');
}

function ask(child: ChildProcess, message: ToServer): Promise<FromServer> {
  return new Promise((resolve) => {
    child.once('message', (answer) => resolve(answer as FromServer));
    child.send(message);
  });
}

function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
  });
}

/** The child: the ledger as main.ts builds it, plus the bench's off switch for AccessLog.record over IPC. */
async function serve(): Promise<void> {
  // Required here, not imported above: the parent process never loads NestJS or the ledger.
  /* eslint-disable @typescript-eslint/no-require-imports */
  require('reflect-metadata');
  const { loadLedgerConfig } = require('@ledger/platform') as typeof import('@ledger/platform');
  const { createLedgerApp } = require('../apps/ledger/src/ledger-app') as typeof import('../apps/ledger/src/ledger-app');
  const { AccessLog } = require('../apps/ledger/src/access-log/access-log.service') as typeof import('../apps/ledger/src/access-log/access-log.service');
  const { PG_POOL } = require('../apps/ledger/src/platform/config/config.tokens') as typeof import('../apps/ledger/src/platform/config/config.tokens');
  const config = loadLedgerConfig();
  const app = await createLedgerApp(config);
  await app.listen(config.port);
  const accessLog = app.get(AccessLog);
  const pool = app.get<{ query(sql: string): Promise<{ rows: { n: string }[] }> }>(PG_POOL);
  const record = accessLog.record.bind(accessLog);
  process.on('message', (message: ToServer) => {
    void (async () => {
      if ('accessLog' in message) accessLog.record = message.accessLog === 'on' ? record : () => undefined;
      const { rows } = await pool.query('SELECT count(*)::text AS n FROM ledger.access_log');
      process.send?.({ ack: true, entries: Number(rows[0].n) } satisfies FromServer);
    })();
  });
  process.removeAllListeners('SIGTERM');
  process.once('SIGTERM', () => {
    void app.close().then(() => process.exit(0));
  });
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
