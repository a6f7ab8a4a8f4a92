/**
 * The HTTP path under load, in one run on one embedded PostgreSQL, every
 * figure against baselines measured in the same run (shared machines are
 * noisy: ratios travel, absolute figures do not):
 *
 *   - the ceiling: a bare node:http server in a child process answering {},
 *     loaded by the same autocannon at each connection count the routes use;
 *   - the port's append rate: bench:append's writers (64, one event to a new
 *     stream per append, expecting no_stream, fsync and synchronous_commit
 *     on) in a database of their own on the same PostgreSQL, so that the
 *     ledger's projector has nothing of theirs to fold;
 *   - the ledger as `npm run start:prod` runs it (dist/apps/ledger/src/main.js,
 *     built first, or with BENCH_LEDGER=source through ts-node as `npm start`
 *     runs it; its in-process projector, LEDGER_RATE_LIMIT=off, secrets made
 *     for the run, LOG_LEVEL as given or the ledger's default, its output to
 *     a file) on a database seeded straight through the event store with the
 *     synthetic ledger (as bench:verify and bench:rebuild seed it; commits
 *     that do not wait for the disk while seeding, as they do afterwards),
 *     then folded by the ledger's own projector from the first event, waited
 *     on through /health/ready (every projection at the head), never sleeps;
 *   - each route, with autocannon from keep-alive connections, after a
 *     warm-up: GET /health (c=64); public verification of random real folios
 *     among every one seeded (c=32); a filtered certificate list, first pages
 *     of state x standard x employment (c=32, a comptroller); stats grouped by
 *     state (c=32); a transparency report page, one day's certificates of one
 *     state and agency, ~40 rows (c=32); enrollments, a new valid CURP each
 *     (c=64, a registrar); the whole flow per connection, enroll then
 *     evaluate then issue (c=64), counted in flows per second, its latency
 *     from the enrollment sent to the certificate answered. Writes send no
 *     Idempotency-Key unless --idempotency-keys is given (then one each, as a
 *     client that retries safely does).
 *
 * Per second, p50 and p99 of each, as ratios to the ceiling at the same
 * connection count (enrollments and flows also to the append rate), and the
 * targets of issue 10 met or MISSED; best of --rounds rounds each (the
 * neighbours' noise only ever slows a round down). Every answer must be 2xx:
 * a route that answers anything else makes the run fail (after the table),
 * and one that fails its first request stops the run at once.
 *
 *   npm run bench:http                                    # 100,000 certificates, every route (~8-10 min)
 *   npm run bench:http -- --certificates 5000 --seconds 3 --rounds 1   # a quick try
 *   npm run bench:http -- --only public                   # one route (the ceiling always)
 *   DATABASE_URL=postgres://… npm run bench:http          # a database of its own on that server
 *   BENCH_SERVER_NODE_ARGS='--cpu-prof --cpu-prof-dir=/tmp/prof' npm run bench:http -- --only enrollments
 *
 * Options: --certificates N (seeded, at least 100,000 for the figures of
 * record), --seconds N (each measured load, after a 2 s warm-up), --rounds N,
 * --connections N (every route and the ceiling at N instead of their own),
 * --writers N (the append baseline's writers), --only ROUTE (health, public,
 * list, stats, report, enrollments, flow, appends), --idempotency-keys.
 * A load that gets no 2xx answer at all stops the run there (the ledger is
 * wedged or refusing); the ledger's log is then kept in the temporary folder.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { makeCurpPerson } from '@ledger/domain/testing';
import { PostgresEventStore } from '@ledger/event-store';
import { freePort, startEmbeddedPostgres, type EmbeddedPostgres } from '@ledger/platform';
import { runReadModelMigrations } from '@ledger/read-models';
import { migrateLedgerSchema } from '@ledger/ledger-schema';
import { signToken } from '../test/e2e/support/tokens';
import { startLedger, waitForProjections } from './support/ledger-process';
import { seedEventStore, SyntheticLedger, type StreamAppend } from '@ledger/projections/testing';
import {
  autocannon,
  durabilitySettings,
  percentile,
  portAppendRate,
  settleDatabase,
  signalGroup,
  sleep,
  stopChild,
  tail,
  track,
  waitForHttp,
  withClient,
  withPool,
  type AutocannonRequest,
} from './support/bench-support';

const WARM_UP_SECONDS = 2;
const APPEND_WARM_UP_MS = 1_000;
/** The synthetic ledger certifies about 0.9 of the people it enrolls; a margin so it never runs out first. */
const CERTIFICATES_PER_PERSON = 0.8;
/** makeCurpPerson gives distinct CURPs below this index, per state. */
const CURPS_PER_STATE = 146_000;
const CURP_STATES = ['BC', 'QR', 'JC', 'NL', 'SO', 'CH', 'YN', 'OC', 'PL', 'VZ', 'GT', 'MC', 'DF', 'CL', 'TS', 'SL'];
const TOKEN_TTL_SECONDS = 6 * 3600;

/** Reference data of the bench's own, beside the synthetic ledger's (whose standards and providers it leaves alone). */
const STANDARD = { code: 'EC0435', version: '01', title: 'Prestación de servicios de atención a la ciudadanía', validityYears: 3 };
const PROVIDER_ID = 'ECE901-24';
const EVALUATOR_ID = 'eval-bench-1';
const EVIDENCE = `sha256:${'cd'.repeat(32)}`;

const ROUTES = ['health', 'public', 'list', 'stats', 'report', 'enrollments', 'flow', 'appends'] as const;
type Route = (typeof ROUTES)[number];

interface Options {
  certificates: number;
  seconds: number;
  rounds: number;
  /** Every route and the ceiling at this count instead of their own. */
  connections?: number;
  writers: number;
  only?: Route;
  /** Send an Idempotency-Key with every write, as a client that retries safely does. */
  idempotencyKeys: boolean;
}

interface Measured {
  /** 2xx answers (whole flows for the flow) per second of the measured window. */
  perSecond: number;
  count: number;
  p50: number;
  p99: number;
  /** Answers that were not 2xx, connection errors and timeouts, warm-up included. */
  failures: number;
  statuses: Record<string, number>;
  /** The first non-2xx answer's body, where the load reads bodies. */
  firstFailure?: string;
}

interface Seeded {
  events: number;
  certificates: number;
  seconds: number;
  folios: string[];
  /** Days, states and agencies for which the seed issued certificates, as `day|state|agency`. */
  reportKeys: string[];
  /** `state|standard|employment` of issued certificates. */
  listKeys: string[];
}

interface Tokens {
  authority: string;
  certifier: string;
  registrar: string;
  evaluator: string;
  comptroller: string;
}

async function main(): Promise<void> {
  const options = parseOptions(process.argv.slice(2));
  const workDir = mkdtempSync(join(tmpdir(), 'ledger-bench-http-'));
  const ledgerDataDir = join(workDir, 'ledger');
  mkdirSync(ledgerDataDir);
  const logFile = join(workDir, 'ledger.log');
  let server: EmbeddedPostgres | undefined;
  const children = new Set<ChildProcess>();
  const stopChildren = () => children.forEach((child) => signalGroup(child, 'SIGKILL'));
  process.once('exit', stopChildren);
  const loadAtStart = loadavg();
  let ledger: ChildProcess | undefined;
  try {
    const serverUrl = process.env.DATABASE_URL ?? (server = await startEmbeddedPostgres({ dataDir: join(workDir, 'postgres') })).url;
    const { url, name } = await freshDatabase(serverUrl, 'bench_http');
    const seedStore = new PostgresEventStore(url, { poolSize: 4 });
    await seedStore.migrate();
    // In the ledger's order: its own schema first (see bench:verify: read-model migrations are recorded in the
    // first schema of the search path, so run before the schema `ledger` exists the server would run them again).
    await withPool(url, (pool) => migrateLedgerSchema(pool));
    await runReadModelMigrations(url);
    const seeded = await seed(seedStore, options.certificates);
    await seedStore.close();
    // From here on commits wait for the disk again, as the ledger's do (seeding is not what is measured).
    await withClient(serverUrl, (client) => client.query(`ALTER DATABASE "${name}" RESET synchronous_commit`));
    await settleDatabase(url);

    const appendDb = await freshDatabase(serverUrl, 'bench_http_appends');
    await withClient(serverUrl, (client) => client.query(`ALTER DATABASE "${appendDb.name}" RESET synchronous_commit`));
    const appendStore = new PostgresEventStore(appendDb.url, { poolSize: 4 });
    await appendStore.migrate();

    const secrets = { tokenKey: secret(), subjectKey: secret(), folioKey: secret(), masterKey: secret() };
    const tokens = tokensFor(secrets.tokenKey);
    const bare = await startBare(children);
    const port = await freePort();
    ledger = startLedger(url, port, ledgerDataDir, secrets, logFile, children);
    const base = `http://127.0.0.1:${port}`;
    await waitForHttp(`${base}/health`, ledger, 120_000, logFile);
    await seedReferenceData(base, tokens);
    const caughtUp = await waitForProjections(base, ledger, logFile, 'the ledger folds the seeded log');
    await settleDatabase(url);

    const runs = (route: Route) => options.only === undefined || options.only === route;
    const needsAppends = runs('appends') || runs('enrollments') || runs('flow');
    const plans = routePlans(options, seeded, tokens).filter((plan) => runs(plan.route));
    const ceilingConnections = [...new Set(plans.filter((plan) => plan.route !== 'appends').map((plan) => plan.connections))].sort((a, b) => a - b);
    if (ceilingConnections.length === 0) ceilingConnections.push(options.connections ?? 32);
    for (const plan of plans) await plan.check(base);

    const rounds: RoundResult[] = [];
    for (let round = 1; round <= options.rounds; round += 1) {
      process.stdout.write(`\nround ${round}/${options.rounds}\n`);
      const result: RoundResult = { ceilings: new Map(), routes: new Map() };
      for (const connections of ceilingConnections) {
        const measured = await load(bare.base, connections, options.seconds, [{ method: 'GET', path: '/' }], 'requests');
        result.ceilings.set(connections, measured);
        process.stdout.write(`  ceiling, bare node:http {}, c=${connections}: ${describe(measured)}\n`);
      }
      if (needsAppends) {
        await settleDatabase(appendDb.url);
        result.appends = await measureAppends(appendStore, `r${round}`, options);
        process.stdout.write(`  port appends, ${options.writers} writers: ${Math.round(result.appends.perSecond).toLocaleString('en')} events/s, p50 ${ms(result.appends.p50)}, p99 ${ms(result.appends.p99)}\n`);
      }
      for (const plan of plans) {
        if (plan.route === 'appends') continue;
        const measured = await load(base, plan.connections, options.seconds, plan.requests(), plan.counting, plan.headers);
        result.routes.set(plan.route, measured);
        process.stdout.write(`  ${plan.label}, c=${plan.connections}: ${describe(measured)}\n`);
        if (measured.count === 0) throw new Error(`${plan.label} answered nothing 2xx in ${options.seconds} s at c=${plan.connections}: the ledger may be wedged; its log: ${tail(logFile, 20)}`);
        if (plan.writes) await waitForProjections(base, ledger, logFile, `the ledger folds what ${plan.route} wrote`, true);
      }
      rounds.push(result);
    }
    const ledgerStatus = await withClient(url, (client) => client.query<{ n: string }>('SELECT count(*)::text AS n FROM event_store.events'));
    const failed = report(options, seeded, caughtUp, plans, rounds, await durabilitySettings(url), loadAtStart, Number(ledgerStatus.rows[0].n));
    if (failed.length > 0) {
      process.stderr.write(`\nFAILED: ${failed.join('; ')}. A benchmark of errors measures nothing. The ledger's log: ${tail(logFile, 30)}\n`);
      process.exitCode = 1;
    }
    await appendStore.close();
  } catch (error) {
    // The ledger's log outlives the run when it failed: the work folder goes.
    const kept = join(tmpdir(), `ledger-bench-http-${Date.now()}.log`);
    try {
      copyFileSync(logFile, kept);
      process.stderr.write(`the ledger's log is kept in ${kept}\n`);
    } catch {
      // no log yet
    }
    throw error;
  } finally {
    if (ledger) await stopChild(ledger, children);
    stopChildren();
    await server?.stop();
    rmSync(workDir, { recursive: true, force: true });
  }
}

function parseOptions(args: string[]): Options {
  const value = (name: string, fallback: number | undefined) => {
    const index = args.indexOf(`--${name}`);
    if (index < 0) return fallback;
    const parsed = Number(args[index + 1]);
    if (!Number.isInteger(parsed) || parsed <= 0) throw new Error(`--${name} must be a positive integer`);
    return parsed;
  };
  const known = new Set(['--certificates', '--seconds', '--rounds', '--connections', '--writers', '--only']);
  for (let i = 0; i < args.length; i += 1) {
    if (args[i] === '--idempotency-keys') continue;
    if (!known.has(args[i])) throw new Error(`unknown option ${args[i]}; options: ${[...known].join(', ')}, --idempotency-keys`);
    i += 1;
  }
  const onlyAt = args.indexOf('--only');
  const only = onlyAt >= 0 ? args[onlyAt + 1] : undefined;
  if (only !== undefined && !ROUTES.includes(only as Route)) throw new Error(`--only takes one of ${ROUTES.join(', ')}`);
  return {
    certificates: value('certificates', 100_000) as number,
    seconds: value('seconds', 10) as number,
    rounds: value('rounds', 2) as number,
    connections: value('connections', undefined),
    writers: value('writers', 64) as number,
    only: only as Route | undefined,
    idempotencyKeys: args.includes('--idempotency-keys'),
  };
}

/** A database of its own, with commits that do not wait for the disk while it is seeded. */
async function freshDatabase(serverUrl: string, prefix: string): Promise<{ url: string; name: string }> {
  const name = `${prefix}_${Date.now()}`;
  await withClient(serverUrl, async (admin) => {
    await admin.query(`CREATE DATABASE "${name}"`);
    await admin.query(`ALTER DATABASE "${name}" SET synchronous_commit = off`);
  });
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return { url: url.toString(), name };
}

/**
 * The synthetic ledger straight into the event store, stopped once it has
 * issued `certificates`; keeps every folio, and the days, states, agencies,
 * standards and employments that certificates were issued for.
 */
async function seed(store: PostgresEventStore, certificates: number): Promise<Seeded> {
  const started = Date.now();
  const ledger = new SyntheticLedger({ people: Math.ceil(certificates / CERTIFICATES_PER_PERSON) + 1_000, waveSize: 1_000 });
  const processes = new Map<string, { state: string; agency: string; employment: string }>();
  const folios: string[] = [];
  const reportKeys = new Set<string>();
  const listKeys = new Set<string>();
  let events = 0;
  function* bounded(): Generator<StreamAppend> {
    for (const append of ledger.appends()) {
      if (folios.length >= certificates) return;
      for (const event of append.events) {
        const data = event.data as Record<string, unknown>;
        if (event.type === 'CandidateEnrolled') {
          const jurisdiction = data.jurisdiction as { state: string };
          processes.set(data.processId as string, { state: jurisdiction.state, agency: data.agency as string, employment: data.employment as string });
        } else if (event.type === 'CertificateIssued') {
          const enrolled = processes.get(data.processId as string);
          processes.delete(data.processId as string);
          folios.push(data.folio as string);
          if (enrolled) {
            reportKeys.add(`${(data.issuedAt as string).slice(0, 10)}|${enrolled.state}|${enrolled.agency}`);
            listKeys.add(`${enrolled.state}|${data.standardCode as string}|${enrolled.employment}`);
          }
        }
      }
      events += append.events.length;
      yield append;
    }
  }
  await seedEventStore(store, bounded(), {
    inFlight: 1_024,
    onProgress: (count) => {
      if (count % 50_000 < 20) process.stdout.write(`\rseeding: ${count.toLocaleString('en')} events, ${folios.length.toLocaleString('en')} certificates`);
    },
  });
  if (folios.length < certificates) throw new Error(`the synthetic ledger issued only ${folios.length} of ${certificates} certificates`);
  const seconds = (Date.now() - started) / 1000;
  process.stdout.write(`\rseeded ${events.toLocaleString('en')} events, ${folios.length.toLocaleString('en')} certificates in ${seconds.toFixed(1)} s (${Math.round(events / seconds).toLocaleString('en')} events/s)\n`);
  return { events, certificates: folios.length, seconds, folios, reportKeys: [...reportKeys], listKeys: [...listKeys] };
}

function secret(): string {
  return randomBytes(32).toString('base64url');
}

function tokensFor(key: string): Tokens {
  const token = (role: string, org: string, sub: string) => `Bearer ${signToken(key, { sub, role, org }, TOKEN_TTL_SECONDS)}`;
  return {
    authority: token('authority', 'CONOCER', 'bench-authority'),
    certifier: token('certifier', PROVIDER_ID, 'bench-certifier'),
    registrar: token('registrar', PROVIDER_ID, 'bench-registrar'),
    evaluator: token('evaluator', PROVIDER_ID, EVALUATOR_ID),
    comptroller: token('comptroller', 'SECOGEF', 'bench-auditor'),
  };
}

/** A bare node:http server in a child process: the ceiling of any Node HTTP server on this machine now. */
async function startBare(children: Set<ChildProcess>): Promise<{ base: string }> {
  const port = await freePort();
  const source = `require('node:http').createServer((q, s) => { s.writeHead(200, { 'content-type': 'application/json' }); s.end('{}'); }).listen(${port}, '127.0.0.1')`;
  const bare = track(children, spawn(process.execPath, ['-e', source], { stdio: ['ignore', 'inherit', 'inherit'], detached: true }));
  await waitForHttp(`http://127.0.0.1:${port}/`, bare, 30_000);
  return { base: `http://127.0.0.1:${port}` };
}


/** The bench's standard, provider and evaluator, through the API; the synthetic ledger's stay as they were seeded. */
async function seedReferenceData(base: string, tokens: Tokens): Promise<void> {
  const period = { validFrom: '2018-01-01', validUntil: '2030-12-31' };
  await expectStatus(base, 'POST', '/v1/standards', tokens.authority, STANDARD, 201);
  await expectStatus(base, 'POST', '/v1/providers', tokens.authority, {
    providerId: PROVIDER_ID, kind: 'ECE', name: 'ECE de la prueba de carga', accreditationCode: PROVIDER_ID, standards: [STANDARD.code], ...period,
  }, 201);
  await expectStatus(base, 'POST', '/v1/evaluators', tokens.certifier, {
    evaluatorId: EVALUATOR_ID, ...nextPerson(), providerId: PROVIDER_ID, standards: [STANDARD.code], credentialFolio: 'CED-BENCH-000001', ...period,
  }, 201);
}

async function expectStatus(base: string, method: string, path: string, authorization: string | undefined, body: unknown, status: number): Promise<string> {
  const response = await fetch(`${base}${path}`, {
    method,
    headers: { ...(authorization ? { authorization } : {}), ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  if (response.status !== status) throw new Error(`${method} ${path} answered ${response.status} (expected ${status}): ${text.slice(0, 500)}`);
  return text;
}

/** A new person with a valid CURP per call: makeCurpPerson's series, state after state. */
let personIndex = 0;
function nextPerson(): { curp: string; fullName: string } {
  const index = personIndex;
  personIndex += 1;
  const state = CURP_STATES[Math.floor(index / CURPS_PER_STATE)];
  if (state === undefined) throw new Error('out of distinct CURPs');
  return makeCurpPerson(index % CURPS_PER_STATE, state);
}

function enrollmentBody(): string {
  return JSON.stringify({
    ...nextPerson(),
    standardCode: STANDARD.code,
    providerId: PROVIDER_ID,
    agency: 'Secretaría de Hacienda',
    jurisdiction: { state: 'BC', municipality: 'Tijuana' },
    employment: 'base',
    enrolledAt: '2024-01-10T15:00:00Z',
  });
}

const EVALUATION_BODY = JSON.stringify({ result: 'competent', evidenceDigest: EVIDENCE, evaluatedAt: '2024-02-01T16:00:00Z' });


interface RoutePlan {
  route: Route;
  label: string;
  connections: number;
  headers?: Record<string, string>;
  /** What a measured unit is: a 2xx answer, or a whole flow (the third request's 2xx). */
  counting: 'requests' | 'flows';
  writes: boolean;
  requests(): AutocannonRequest[];
  /** One request first: a route that does not answer 2xx is not measured at all. */
  check(base: string): Promise<void>;
  target?: Target;
}

interface Target {
  text: string;
  met(measured: Measured, ceiling: Measured, appends?: Measured): boolean;
}

function routePlans(options: Options, seeded: Seeded, tokens: Tokens): RoutePlan[] {
  const at = (own: number) => options.connections ?? own;
  const pick = <T>(values: readonly T[]) => values[Math.floor(Math.random() * values.length)];
  const getting = (paths: readonly string[], authorization?: string): AutocannonRequest[] => [
    { method: 'GET', headers: authorization ? { authorization } : {}, setupRequest: (request) => ({ ...request, path: pick(paths) }) },
  ];
  const checkGet = (paths: readonly string[], authorization?: string) => async (base: string) => {
    await expectStatus(base, 'GET', paths[0], authorization, undefined, 200);
  };
  const ratioAtLeast = (bound: number): Target['met'] => (m, ceiling) => m.perSecond / ceiling.perSecond >= bound;
  const publicPaths = seeded.folios.map((folio) => `/v1/public/certificates/${folio}`);
  const listPaths = seeded.listKeys.map((key) => {
    const [state, standard, employment] = key.split('|');
    return `/v1/certificates?${new URLSearchParams({ state, standard, employment, limit: '50' })}`;
  });
  const reportPaths = seeded.reportKeys.map((key) => {
    const [day, state, agency] = key.split('|');
    return `/v1/reports/transparency?${new URLSearchParams({ asOf: day, issuedFrom: day, issuedTo: day, state, agency })}`;
  });
  const statsPaths = ['/v1/stats/certifications?groupBy=state'];
  const writeHeaders = (authorization: string) => ({ authorization, 'content-type': 'application/json' });
  const keyed = (headers: Record<string, string> | undefined) => (options.idempotencyKeys ? { ...headers, 'idempotency-key': randomUUID() } : headers);
  const enrollment = (): AutocannonRequest => ({
    method: 'POST',
    path: '/v1/enrollments',
    headers: writeHeaders(tokens.registrar),
    setupRequest: (request, context) => {
      context.started = performance.now();
      return { ...request, body: enrollmentBody(), headers: keyed(request.headers) };
    },
    onResponse: (status, body, context) => {
      if (status === 201) context.processId = (JSON.parse(body) as { processId: string }).processId;
      else failureBody(status, body);
    },
  });
  return [
    {
      route: 'health', label: 'GET /health', connections: at(64), counting: 'requests', writes: false,
      requests: () => getting(['/health']), check: checkGet(['/health']),
      target: { text: '>= 0.5x ceiling', met: ratioAtLeast(0.5) },
    },
    {
      route: 'public', label: `GET /v1/public/certificates/{folio}, ${publicPaths.length.toLocaleString('en')} real folios`, connections: at(32),
      counting: 'requests', writes: false, requests: () => getting(publicPaths), check: checkGet(publicPaths),
      target: { text: '>= 0.25x ceiling, p99 < 20 ms', met: (m, ceiling) => m.perSecond / ceiling.perSecond >= 0.25 && m.p99 < 20 },
    },
    {
      route: 'list', label: `GET /v1/certificates?state&standard&employment, ${listPaths.length} filters, 50 a page`, connections: at(32),
      counting: 'requests', writes: false, requests: () => getting(listPaths, tokens.comptroller), check: checkGet(listPaths, tokens.comptroller),
      target: { text: '>= 0.1x ceiling', met: ratioAtLeast(0.1) },
    },
    {
      route: 'stats', label: 'GET /v1/stats/certifications?groupBy=state', connections: at(32), counting: 'requests', writes: false,
      requests: () => getting(statsPaths, tokens.comptroller), check: checkGet(statsPaths, tokens.comptroller),
      target: { text: '>= 0.1x ceiling', met: ratioAtLeast(0.1) },
    },
    {
      route: 'report', label: `GET /v1/reports/transparency, one day x state x agency, ${reportPaths.length.toLocaleString('en')} pages`, connections: at(32),
      counting: 'requests', writes: false, requests: () => getting(reportPaths, tokens.comptroller),
      check: async (base) => {
        // A page, not an empty report nor the whole registry: say how many rows the pages hold.
        const sample = Array.from({ length: 20 }, () => pick(reportPaths));
        let rows = 0;
        for (const path of sample) {
          const body = JSON.parse(await expectStatus(base, 'GET', path, tokens.comptroller, undefined, 200)) as { totals: Record<string, number> };
          rows += Object.values(body.totals).reduce((a, b) => a + b, 0);
        }
        process.stdout.write(`transparency report pages: ${(rows / sample.length).toFixed(1)} certificates each on average (20 sampled)\n`);
        if (rows === 0) throw new Error('the sampled transparency report pages hold no certificates');
      },
      target: { text: '>= 0.1x ceiling', met: ratioAtLeast(0.1) },
    },
    {
      route: 'enrollments', label: 'POST /v1/enrollments, a new CURP each', connections: at(64), counting: 'requests', writes: true,
      requests: () => [enrollment()],
      check: async (base) => {
        const body = JSON.parse(enrollmentBody()) as unknown;
        await expectStatus(base, 'POST', '/v1/enrollments', tokens.registrar, body, 201);
      },
      target: {
        text: '>= 0.2x port appends, p99 < 100 ms',
        met: (m, _ceiling, appends) => appends !== undefined && m.perSecond / appends.perSecond >= 0.2 && m.p99 < 100,
      },
    },
    {
      route: 'flow', label: 'flow: enroll, evaluate, issue (flows/s)', connections: at(64), counting: 'flows', writes: true,
      requests: () => [
        enrollment(),
        {
          method: 'POST',
          headers: writeHeaders(tokens.evaluator),
          body: EVALUATION_BODY,
          setupRequest: (request, context) =>
            typeof context.processId === 'string'
              ? { ...request, path: `/v1/enrollments/${context.processId}/evaluations`, headers: keyed(request.headers) }
              : undefined,
          onResponse: (status, body, context) => {
            if (status !== 201) {
              failureBody(status, body);
              context.processId = undefined;
            }
          },
        },
        {
          method: 'POST',
          headers: writeHeaders(tokens.certifier),
          body: '{}',
          setupRequest: (request, context) =>
            typeof context.processId === 'string'
              ? { ...request, path: `/v1/enrollments/${context.processId}/certificate`, headers: keyed(request.headers) }
              : undefined,
          onResponse: (status, body, context) => {
            if (status === 201 || status === 200) flowDone(context);
            else failureBody(status, body);
          },
        },
      ],
      check: async (base) => {
        const enrolled = JSON.parse(await expectStatus(base, 'POST', '/v1/enrollments', tokens.registrar, JSON.parse(enrollmentBody()), 201)) as { processId: string };
        await expectStatus(base, 'POST', `/v1/enrollments/${enrolled.processId}/evaluations`, tokens.evaluator, JSON.parse(EVALUATION_BODY), 201);
        const issued = await fetch(`${base}/v1/enrollments/${enrolled.processId}/certificate`, {
          method: 'POST',
          headers: writeHeaders(tokens.certifier),
          body: '{}',
        });
        if (issued.status !== 201 && issued.status !== 200) throw new Error(`POST …/certificate answered ${issued.status}: ${(await issued.text()).slice(0, 500)}`);
      },
      target: { text: '>= 0.1x port appends', met: (m, _ceiling, appends) => appends !== undefined && m.perSecond / appends.perSecond >= 0.1 },
    },
    {
      route: 'appends', label: 'port appends', connections: options.writers, counting: 'requests', writes: false,
      requests: () => [], check: async () => undefined,
    },
  ];
}

/**
 * What the flow's callbacks report to the load they run in: set by load()
 * before each run, so that a warm-up's flows are not counted.
 */
let flowSink: { latencies: number[]; failures: number; firstFailure?: string } | undefined;

function flowDone(context: Record<string, unknown>): void {
  if (flowSink && typeof context.started === 'number') flowSink.latencies.push(performance.now() - context.started);
}

function failureBody(status: number, body: string): void {
  if (flowSink && flowSink.firstFailure === undefined) flowSink.firstFailure = `${status} ${body.slice(0, 300)}`;
}

/**
 * A warm-up of WARM_UP_SECONDS, then `seconds` measured, each a run of its
 * own; every latency of a 2xx kept (or of a whole flow), every other answer,
 * error and timeout counted, in the warm-up too.
 */
async function load(
  base: string,
  connections: number,
  seconds: number,
  requests: AutocannonRequest[],
  counting: 'requests' | 'flows',
  headers?: Record<string, string>,
): Promise<Measured> {
  const once = async (duration: number) => {
    const latencies: number[] = [];
    const statuses: Record<string, number> = {};
    let failures = 0;
    flowSink = { latencies: [], failures: 0 };
    const sink = flowSink;
    const instance = autocannon({ url: base, connections, duration, headers, requests });
    instance.on('response', (_client, statusCode, _bytes, responseTimeMs) => {
      statuses[statusCode] = (statuses[statusCode] ?? 0) + 1;
      if (statusCode >= 200 && statusCode < 300) latencies.push(responseTimeMs);
      else failures += 1;
    });
    const result = await instance;
    failures += result.errors + result.timeouts;
    if (result.errors > 0) statuses.errors = result.errors;
    if (result.timeouts > 0) statuses.timeouts = result.timeouts;
    // Requests the load generator gave up on as it stopped are still answered: let them finish before the next load.
    await sleep(500);
    flowSink = undefined;
    const kept = counting === 'flows' ? sink.latencies : latencies;
    return { kept, failures, statuses, duration: result.duration, firstFailure: sink.firstFailure };
  };
  const warm = await once(WARM_UP_SECONDS);
  const run = await once(seconds);
  const statuses = { ...run.statuses };
  for (const [code, count] of Object.entries(warm.statuses)) if (!(code >= '200' && code < '300')) statuses[`${code} (warm-up)`] = count;
  return {
    perSecond: run.kept.length / run.duration,
    count: run.kept.length,
    p50: percentile(run.kept, 0.5),
    p99: percentile(run.kept, 0.99),
    failures: run.failures + warm.failures,
    statuses,
    firstFailure: run.firstFailure ?? warm.firstFailure,
  };
}

/** bench:append's port path: every writer appends one event to a new stream, expecting no_stream, in a loop; a warm-up, then the measured window. */
async function measureAppends(store: PostgresEventStore, label: string, options: Options): Promise<Measured> {
  const rate = await portAppendRate(store, { label: `http-${label}`, writers: options.writers, seconds: options.seconds, warmUpMs: APPEND_WARM_UP_MS });
  return { ...rate, statuses: {} };
}

interface RoundResult {
  ceilings: Map<number, Measured>;
  appends?: Measured;
  routes: Map<Route, Measured>;
}

function describe(m: Measured): string {
  const failed = m.failures > 0 ? `; NOT 2xx: ${JSON.stringify(m.statuses)}${m.firstFailure ? `, first: ${m.firstFailure}` : ''}` : '';
  return `${Math.round(m.perSecond).toLocaleString('en')}/s, p50 ${ms(m.p50)}, p99 ${ms(m.p99)}${failed}`;
}

function ms(value: number): string {
  return Number.isNaN(value) ? '-' : value < 10 ? `${value.toFixed(2)} ms` : `${value.toFixed(1)} ms`;
}

/** Prints the table; returns the routes that answered anything but 2xx. */
function report(
  options: Options,
  seeded: Seeded,
  caughtUp: { seconds: number; head: bigint },
  plans: RoutePlan[],
  rounds: RoundResult[],
  settings: string,
  loadAtStart: number[],
  eventsAtEnd: number,
): string[] {
  const best = (all: (Measured | undefined)[]) =>
    all.filter((m): m is Measured => m !== undefined).reduce<Measured | undefined>((a, b) => (a === undefined || b.perSecond > a.perSecond ? b : a), undefined);
  const bestCeiling = (connections: number) => best(rounds.map((r) => r.ceilings.get(connections))) as Measured;
  const appends = best(rounds.map((r) => r.appends));
  const perSecond = (n: number) => Math.round(n).toLocaleString('en');
  const x = (a: number, b: number) => `${(a / b).toFixed(a / b < 0.1 ? 3 : 2)}x`;
  const verdict = (met: boolean) => (met ? 'met' : 'MISSED');
  const failed: string[] = [];
  const header = ['route', 'c', 'per second', 'p50', 'p99', 'vs ceiling (/s, p50, p99)', 'vs appends', 'not 2xx', 'target'];
  const rows: string[][] = [];
  const ceilingConnections = [...rounds[0].ceilings.keys()];
  for (const connections of ceilingConnections) {
    const ceiling = bestCeiling(connections);
    rows.push(['ceiling: bare node:http {}', String(connections), perSecond(ceiling.perSecond), ms(ceiling.p50), ms(ceiling.p99), '1x (baseline)', '', String(ceiling.failures), '']);
    if (ceiling.failures > 0) failed.push(`the bare server at c=${connections}: ${JSON.stringify(ceiling.statuses)}`);
  }
  if (appends) {
    rows.push([`port appends, 1 event each`, String(options.writers), `${perSecond(appends.perSecond)} ev`, ms(appends.p50), ms(appends.p99), '', '1x (baseline)', String(appends.failures), '']);
    if (appends.failures > 0) failed.push(`port appends: ${appends.failures} failed`);
  }
  for (const plan of plans) {
    if (plan.route === 'appends') continue;
    const all = rounds.map((r) => r.routes.get(plan.route));
    const m = best(all);
    if (!m) continue;
    const ceiling = bestCeiling(plan.connections);
    const failures = all.reduce((n, r) => n + (r?.failures ?? 0), 0);
    if (failures > 0) failed.push(`${plan.label}: ${all.map((r) => JSON.stringify(r?.statuses)).join(', ')}`);
    const writes = plan.route === 'enrollments' || plan.route === 'flow';
    rows.push([
      plan.label,
      String(plan.connections),
      perSecond(m.perSecond),
      ms(m.p50),
      ms(m.p99),
      `${x(m.perSecond, ceiling.perSecond)}, ${x(m.p50, ceiling.p50)}, ${x(m.p99, ceiling.p99)}`,
      writes && appends ? x(m.perSecond, appends.perSecond) : '',
      String(failures),
      plan.target ? `${plan.target.text}: ${verdict(failures === 0 && plan.target.met(m, ceiling, appends))}` : '',
    ]);
  }
  const widths = header.map((_, column) => Math.max(...[header, ...rows].map((row) => row[column].length)));
  const numeric = new Set([1, 2, 3, 4, 7]);
  const line = (row: string[]) => row.map((cell, column) => (numeric.has(column) ? cell.padStart(widths[column]) : cell.padEnd(widths[column]))).join('  ');
  const part = options.only === undefined ? '' : ` (--only ${options.only})`;
  const loadAtEnd = loadavg();
  console.log(
    `\nThe HTTP path: ${seeded.certificates.toLocaleString('en')} certificates in ${seeded.events.toLocaleString('en')} seeded events ` +
      `(${eventsAtEnd.toLocaleString('en')} at the end), ${availableParallelism()} CPUs, ${options.seconds} s a load after ${WARM_UP_SECONDS} s warm-up, best of ${options.rounds} rounds${part}`,
  );
  console.log(`PostgreSQL: ${settings}`);
  console.log(
    `seeded in ${seeded.seconds.toFixed(1)} s; the ledger's projector folded it in ${caughtUp.seconds.toFixed(1)} s ` +
      `(${perSecond(seeded.events / caughtUp.seconds)} events/s, to position ${caughtUp.head})`,
  );
  console.log(`load average (1, 5, 15 min): at the start ${loadAtStart.map((l) => l.toFixed(2)).join(', ')}; at the end ${loadAtEnd.map((l) => l.toFixed(2)).join(', ')}`);
  console.log(
    `p50 and p99 against the ceiling are multiples of its latency; writes ${options.idempotencyKeys ? 'send' : 'do not send'} an Idempotency-Key; flows are counted whole (enroll + evaluate + issue)`,
  );
  console.log('');
  const rule = '-'.repeat(line(header).length);
  console.log(line(header));
  console.log(rule);
  rows.forEach((row) => console.log(line(row)));
  console.log(rule);
  return failed;
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
