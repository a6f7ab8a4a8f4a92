/**
 * A national import, measured: `npm run ledger -- import certifications
 * FILE.csv` over a generated archive of historical certifications, against
 * the port's single-event append rate at 64 writers measured on the same
 * database in the same run (the aim: at least 0.5x in events), then
 * the same file again (idempotent: it must write nothing).
 *
 *   1. an embedded PostgreSQL (or DATABASE_URL), fsync and synchronous_commit
 *      on; the ledger started as `npm start` starts it, only to record the
 *      reference data through the API (a standard, a provider, evaluators
 *      accredited since 2015), then stopped;
 *   2. the baseline: bench:append's port path (b), `--writers` writers, one
 *      event to a new stream per append, for `--append-seconds`;
 *   3. the archive: `--rows` certifications (default 140,000, the national
 *      count CONOCER gave in 2018) of distinct people with valid CURPs,
 *      most certified with a printed folio, some revoked, judged but not
 *      certified, or only enrolled; dates 2016 to 2023;
 *   4. the import, as an operator runs it (the CLI in a child process, its
 *      projections following in it), timed, its peak memory sampled; then
 *      again.
 *
 *   npm run bench:import                         # 140,000 certifications (~15-25 min)
 *   npm run bench:import -- --rows 5000          # a quick try
 *   BENCH_IMPORT_NODE_ARGS='--cpu-prof --cpu-prof-dir=/tmp/prof' npm run bench:import -- --rows 5000
 *
 * Options: --rows N, --concurrency N (the import's rows at once), --writers N,
 * --append-seconds N.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { stringify } from 'csv-stringify/sync';
import { makeCurpPerson } from '@ledger/domain/testing';
import { PostgresEventStore } from '@ledger/event-store';
import { freePort, startEmbeddedPostgres, type EmbeddedPostgres } from '@ledger/platform';
import { signToken } from '../test/e2e/support/tokens';
import { durabilitySettings, nodeArgsFrom, portAppendRate, positiveIntegerOption, settleDatabase, stopChild, tail, track, waitForHttp, withClient, type PortAppendRate } from './support/bench-support';

const REPO_ROOT = resolve(__dirname, '..');
const STANDARD = { code: 'EC0105', version: '01', title: 'Atención al ciudadano en el sector público', validityYears: 5 };
const PROVIDER_ID = 'ECE322-18';
const EVALUATORS = 40;
const CURPS_PER_STATE = 146_000;
const CURP_STATES = ['BC', 'QR', 'JC', 'NL', 'SO', 'CH', 'YN', 'OC', 'PL', 'VZ', 'GT', 'MC', 'DF', 'CL', 'TS', 'SL'];
const AGENCIES = ['Secretaría de Hacienda', 'Secretaría de Salud', 'Secretaría de Educación', 'Ayuntamiento de Tijuana', 'Ayuntamiento de Mexicali', 'DIF Estatal'];
const RSS_SAMPLE_MS = 200;
const DAY_MS = 86_400_000;

interface Options {
  rows: number;
  concurrency: number;
  writers: number;
  appendSeconds: number;
}

interface ImportRun {
  seconds: number;
  events: number;
  peakRssMb: number;
  summary: { rows: number; accepted: number; rejected: number };
}

async function main(): Promise<void> {
  const options = parseOptions(process.argv.slice(2));
  const workDir = mkdtempSync(join(tmpdir(), 'ledger-bench-import-'));
  const children = new Set<ChildProcess>();
  let server: EmbeddedPostgres | undefined;
  try {
    const serverUrl = process.env.DATABASE_URL ?? (server = await startEmbeddedPostgres({ dataDir: join(workDir, 'postgres') })).url;
    const url = await freshDatabase(serverUrl);
    const secrets = { LEDGER_TOKEN_KEY: secret(), LEDGER_SUBJECT_KEY: secret(), LEDGER_FOLIO_KEY: secret(), LEDGER_MASTER_KEY: secret() };
    const env = ledgerEnv(url, join(workDir, 'ledger'), secrets);

    process.stdout.write('reference data through the API');
    await recordReferenceData(env, secrets.LEDGER_TOKEN_KEY, join(workDir, 'ledger.log'), children);
    await settleDatabase(url);

    process.stdout.write(`; appends through the port, ${options.writers} writers`);
    const store = new PostgresEventStore(url, { poolSize: 4 });
    const appends = await portAppendRate(store, { label: 'import', writers: options.writers, seconds: options.appendSeconds, warmUpMs: 1_000 });
    await store.close();
    process.stdout.write(`: ${Math.round(appends.perSecond).toLocaleString('en')} events/s\n`);
    await settleDatabase(url);

    const file = join(workDir, 'archive.csv');
    const generated = generateArchive(file, options.rows);
    process.stdout.write(`archive: ${options.rows.toLocaleString('en')} certifications (${generated.certified.toLocaleString('en')} certified, ${generated.revoked} revoked), ${(generated.bytes / 1e6).toFixed(1)} MB\n`);
    const first = await runImport(url, env, file, options, children, 'first');
    await settleDatabase(url);
    const again = await runImport(url, env, file, options, children, 'again');
    report(options, appends, first, again, await durabilitySettings(url));
  } finally {
    for (const child of children) await stopChild(child, children);
    await server?.stop();
    rmSync(workDir, { recursive: true, force: true });
  }
}

function parseOptions(args: string[]): Options {
  const value = (name: string, fallback: number) => positiveIntegerOption(args, name, fallback);
  return { rows: value('rows', 140_000), concurrency: value('concurrency', 32), writers: value('writers', 64), appendSeconds: value('append-seconds', 10) };
}

async function freshDatabase(serverUrl: string): Promise<string> {
  const name = `bench_import_${Date.now()}`;
  await withClient(serverUrl, (admin) => admin.query(`CREATE DATABASE "${name}"`));
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return url.toString();
}

function secret(): string {
  return randomBytes(32).toString('base64url');
}

function ledgerEnv(url: string, dataDir: string, secrets: Record<string, string>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, DATABASE_URL: url, LEDGER_DATA_DIR: dataDir, LEDGER_RATE_LIMIT: 'off', ...secrets };
  for (const name of ['EVENTSTORE_CONNECTION_STRING', 'LEDGER_PROJECTOR', 'LEDGER_LOG_KEY', 'LEDGER_LOG_ORIGIN', 'LEDGER_OIDC_ISSUER', 'LEDGER_OIDC_AUDIENCE']) delete env[name];
  return env;
}

/** The ledger as `npm start` runs it, for the standard, the provider and the evaluators, then stopped. */
async function recordReferenceData(env: NodeJS.ProcessEnv, tokenKey: string, logFile: string, children: Set<ChildProcess>): Promise<void> {
  const port = await freePort();
  const log = openSync(logFile, 'a');
  const args = ['-r', 'ts-node/register/transpile-only', '-r', 'tsconfig-paths/register', 'apps/ledger/src/main.ts'];
  const ledger = track(children, spawn(process.execPath, args, { cwd: REPO_ROOT, env: { ...env, PORT: String(port) }, stdio: ['ignore', log, log], detached: true }));
  closeSync(log);
  const base = `http://127.0.0.1:${port}`;
  try {
    await waitForHttp(`${base}/health`, ledger, 60_000, logFile);
    const token = (role: string, org: string, sub: string) => `Bearer ${signToken(tokenKey, { sub, role, org }, 3600)}`;
    const post = async (path: string, authorization: string, body: unknown) => {
      const response = await fetch(`${base}${path}`, { method: 'POST', headers: { authorization, 'content-type': 'application/json' }, body: JSON.stringify(body) });
      if (response.status !== 201) throw new Error(`${path} answered ${response.status}: ${(await response.text()).slice(0, 300)}${tail(logFile, 20)}`);
    };
    const period = { validFrom: '2015-01-01', validUntil: '2030-12-31' };
    await post('/v1/standards', token('authority', 'CONOCER', 'bench-authority'), STANDARD);
    await post('/v1/providers', token('authority', 'CONOCER', 'bench-authority'), {
      providerId: PROVIDER_ID, kind: 'ECE', name: 'ECE de la importación', accreditationCode: PROVIDER_ID, standards: [STANDARD.code], ...period,
    });
    for (let index = 0; index < EVALUATORS; index += 1) {
      await post('/v1/evaluators', token('certifier', PROVIDER_ID, 'bench-certifier'), {
        evaluatorId: evaluatorId(index), ...makeCurpPerson(index, 'ZS'), providerId: PROVIDER_ID, standards: [STANDARD.code], credentialFolio: `CED-IMP-${index}`, ...period,
      });
    }
  } finally {
    await stopChild(ledger, children);
  }
}

function evaluatorId(index: number): string {
  return `eval-imp-${String(index).padStart(3, '0')}`;
}

/** The archive: distinct people, most certified with a printed folio; a few revoked, judged only, or enrolled only. */
function generateArchive(file: string, rows: number): { bytes: number; certified: number; revoked: number } {
  const header = ['curp', 'full_name', 'agency', 'state', 'municipality', 'employment', 'standard', 'provider_id', 'enrolled_at', 'status', 'evaluator_id', 'evaluated_at', 'evidence_digest', 'issued_at', 'printed_folio', 'revoked_at', 'revocation_reason'];
  const records: string[][] = [];
  let certified = 0;
  let revoked = 0;
  const start = Date.parse('2016-01-04T15:00:00Z');
  for (let index = 0; index < rows; index += 1) {
    const state = CURP_STATES[Math.floor(index / CURPS_PER_STATE)];
    if (state === undefined) throw new Error('out of distinct CURPs');
    const person = makeCurpPerson(index % CURPS_PER_STATE, state);
    const draw = index % 100;
    const status = draw < 90 ? 'certified' : draw < 94 ? 'revoked' : draw < 97 ? 'competent' : 'enrolled';
    const enrolled = start + (index % 2_500) * DAY_MS;
    const day = (offset: number) => new Date(enrolled + offset * DAY_MS).toISOString();
    const judged = status !== 'enrolled';
    const issued = status === 'certified' || status === 'revoked';
    if (status === 'certified') certified += 1;
    if (status === 'revoked') revoked += 1;
    records.push([
      person.curp,
      person.fullName,
      AGENCIES[index % AGENCIES.length],
      'BC',
      index % 2 === 0 ? 'Tijuana' : '',
      index % 3 === 0 ? 'confianza' : 'base',
      STANDARD.code,
      PROVIDER_ID,
      day(0).slice(0, 10),
      status,
      judged ? evaluatorId(index % EVALUATORS) : '',
      judged ? day(30) : '',
      judged && index % 5 === 0 ? `sha256:${randomBytes(32).toString('hex')}` : '',
      issued ? day(45) : '',
      issued ? `D-${day(45).slice(0, 4)}/${String(index).padStart(7, '0')}` : '',
      status === 'revoked' ? day(200) : '',
      status === 'revoked' ? 'Evidencia apócrifa' : '',
    ]);
  }
  const text = stringify(records, { header: true, columns: header });
  writeFileSync(file, text);
  return { bytes: Buffer.byteLength(text), certified, revoked };
}

/** The CLI as an operator runs it, timed; its resident memory sampled from /proc. */
async function runImport(url: string, env: NodeJS.ProcessEnv, file: string, options: Options, children: Set<ChildProcess>, label: string): Promise<ImportRun> {
  const eventsBefore = await eventCount(url);
  const args = [
    ...nodeArgsFrom('BENCH_IMPORT_NODE_ARGS'),
    ...['-r', 'ts-node/register/transpile-only', '-r', 'tsconfig-paths/register', 'apps/cli/src/main.ts', 'import', 'certifications', file, '--concurrency', String(options.concurrency)],
  ];
  const started = performance.now();
  const cli = track(children, spawn(process.execPath, args, { cwd: REPO_ROOT, env, stdio: ['ignore', 'pipe', 'pipe'], detached: true }));
  let stdout = '';
  let stderr = '';
  cli.stdout?.on('data', (chunk) => (stdout += chunk));
  cli.stderr?.on('data', (chunk) => (stderr = (stderr + chunk).slice(-4_000)));
  let peakRssKb = 0;
  const sampler = setInterval(() => {
    try {
      const rss = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${cli.pid}/status`, 'utf8'));
      if (rss) peakRssKb = Math.max(peakRssKb, Number(rss[1]));
    } catch {
      // gone: the last sample stands
    }
  }, RSS_SAMPLE_MS);
  const code = await new Promise<number | null>((resolveExit) => cli.once('exit', (exitCode) => resolveExit(exitCode)));
  clearInterval(sampler);
  const seconds = (performance.now() - started) / 1000;
  if (code !== 0) throw new Error(`the ${label} import exited with ${code}: ${stderr}`);
  const summary = JSON.parse(stdout) as ImportRun['summary'];
  const events = (await eventCount(url)) - eventsBefore;
  process.stdout.write(`import (${label}): ${summary.accepted.toLocaleString('en')} rows in ${seconds.toFixed(1)} s, ${events.toLocaleString('en')} events\n`);
  return { seconds, events, peakRssMb: peakRssKb / 1024, summary };
}

async function eventCount(url: string): Promise<number> {
  return withClient(url, async (client) => Number((await client.query<{ n: string }>('SELECT count(*)::text AS n FROM event_store.events')).rows[0].n));
}

function report(options: Options, appends: PortAppendRate, first: ImportRun, again: ImportRun, settings: string): void {
  const rate = (n: number) => Math.round(n).toLocaleString('en');
  const eventsPerSecond = first.events / first.seconds;
  const ratio = eventsPerSecond / appends.perSecond;
  const rows: string[][] = [
    ['appends through the port (baseline)', `${rate(appends.perSecond)} events/s`, `${options.writers} writers; p50 ${appends.p50.toFixed(1)} ms, p99 ${appends.p99.toFixed(1)} ms`, ''],
    [
      `import of ${options.rows.toLocaleString('en')} certifications`,
      `${rate(eventsPerSecond)} events/s`,
      `${ratio.toFixed(2)}x appends; ${rate(first.summary.accepted / first.seconds)} rows/s, ${first.events.toLocaleString('en')} events in ${first.seconds.toFixed(1)} s; ${first.summary.rejected} rejected; peak RSS ${Math.round(first.peakRssMb)} MB`,
      `>= 0.5x: ${ratio >= 0.5 ? 'met' : 'MISSED'}`,
    ],
    [
      'the same file again',
      `${rate(again.summary.rows / again.seconds)} rows/s`,
      `${again.events} events written in ${again.seconds.toFixed(1)} s; peak RSS ${Math.round(again.peakRssMb)} MB`,
      `nothing new: ${again.events === 0 ? 'met' : 'MISSED'}`,
    ],
  ];
  const header = ['measure', 'rate', 'against the baseline', 'target'];
  const widths = [0, 1, 2, 3].map((column) => Math.max(...[header, ...rows].map((row) => row[column].length)));
  const line = (row: string[]) => row.map((cell, column) => (column === 1 ? cell.padStart(widths[column]) : cell.padEnd(widths[column]))).join('  ');
  console.log(`\nThe national import: ${availableParallelism()} CPUs, ${options.concurrency} rows at once`);
  console.log(`PostgreSQL: ${settings}`);
  console.log(line(header));
  console.log('-'.repeat(line(header).length));
  rows.forEach((row) => console.log(line(row)));
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
