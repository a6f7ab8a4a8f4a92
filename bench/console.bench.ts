/**
 * The console's first view on the demo data, in Debian's headless Chromium,
 * against baselines measured in the same run (shared machines are noisy:
 * ratios travel, absolute figures less so):
 *
 *   - the ledger as `npm run start:prod` runs it (startLedger), on a database of its own, loaded with
 *     `ledger seed demo` (the newcomer's demo, its default size unless
 *     --people says otherwise), folded to the head before anything is timed;
 *   - first view, cold: a new browser context (empty cache) signed in with a
 *     comptroller's token, from navigation start to the panorama painted with
 *     its figures (the console's `view:panorama` mark, then two animation
 *     frames: the charts drawn);
 *   - first view, warm: the same, a second time in that context (the console's
 *     files from the browser's cache, as for a comptroller coming back);
 *   - the baseline: the panorama's API calls alone (the same eleven requests,
 *     all at once, from the same page, as the console makes them), so that
 *     `first view / API` is the console's own cost (its files, its script,
 *     drawing), apart from the ledger's answers;
 *   - the static floor: the public verification page's HTML and script with no
 *     data (`/verify`), to DOMContentLoaded.
 *
 * Median and 90th percentile over --rounds rounds (default 15), and the
 * issue's target, the first view under one second, met or MISSED.
 *
 *   npm run bench:console
 *   npm run bench:console -- --people 600 --rounds 5      # a quick try
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { freePort, startEmbeddedPostgres, type EmbeddedPostgres } from '@ledger/platform';
import { signToken } from '../test/e2e/support/tokens';
import { launchChromium } from '../test/browser/support/browser';
import { startLedger, waitForProjections } from './support/ledger-process';
import { percentile, positiveIntegerOption, stopChild, tail, waitForHttp, withClient } from './support/bench-support';
import { spawn, type ChildProcess } from 'node:child_process';

const REPO_ROOT = resolve(__dirname, '..');
const TARGET_MS = 1_000;
const TOKEN_STORAGE = 'ledger.console.token';
/** The panorama's requests, as apps/console/public/console.js makes them with no filter. */
const PANORAMA_CALLS = [
  '/v1/stats/certifications?',
  '/v1/stats/certifications?status=valid',
  '/v1/stats/certifications?status=revoked',
  '/v1/stats/certifications?status=expired',
  '/v1/stats/certifications?groupBy=month',
  '/v1/stats/certifications?groupBy=state',
  '/v1/stats/certifications?groupBy=employment',
  '/v1/stats/certifications?groupBy=standard',
  '/v1/stats/certifications?groupBy=provider',
  '/v1/programs?limit=100',
  '/v1/audit/findings?limit=20',
];

interface Round {
  cold: number;
  warm: number;
  api: number;
  floor: number;
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const rounds = positiveIntegerOption(args, 'rounds', 15);
  const people = args.includes('--people') ? positiveIntegerOption(args, 'people', 1) : undefined;
  const loadAtStart = loadavg()[0];
  const workDir = mkdtempSync(join(tmpdir(), 'ledger-bench-console-'));
  const children = new Set<ChildProcess>();
  const logFile = join(workDir, 'ledger.log');
  let server: EmbeddedPostgres | undefined;
  let ledger: ChildProcess | undefined;
  let browser: Browser | undefined;
  try {
    server = await startEmbeddedPostgres({ dataDir: join(workDir, 'postgres') });
    const name = `bench_console_${Date.now()}`;
    await withClient(server.url, (client) => client.query(`CREATE DATABASE "${name}"`));
    const url = new URL(server.url);
    url.pathname = `/${name}`;
    const secret = () => randomBytes(32).toString('base64url');
    const secrets = { tokenKey: secret(), subjectKey: secret(), folioKey: secret(), masterKey: secret() };
    const port = await freePort();
    const dataDir = join(workDir, 'ledger-data');
    ledger = startLedger(url.toString(), port, dataDir, secrets, logFile, children);
    const base = `http://127.0.0.1:${port}`;
    await waitForHttp(`${base}/health`, ledger, 120_000, logFile);
    await seedDemo(base, dataDir, secrets, people);
    const { head } = await waitForProjections(base, ledger, logFile, 'the ledger folds the demo');
    const token = signToken(secrets.tokenKey, { sub: 'bench-auditor', role: 'comptroller', org: 'SHFP' }, 3_600);
    const totals = await (await fetch(`${base}/v1/stats/certifications`, { headers: { authorization: `Bearer ${token}` } })).json() as { groups: { count: number }[] };
    const certificates = totals.groups.reduce((sum, group) => sum + group.count, 0);

    browser = await launchChromium();
    // One round unmeasured: Chromium's own start-up and the ledger's first queries are not what a comptroller waits for.
    await measureRound(browser, base, token);
    const measured: Round[] = [];
    for (let round = 1; round <= rounds; round += 1) {
      measured.push(await measureRound(browser, base, token));
      process.stdout.write(`\rround ${round}/${rounds}`);
    }
    process.stdout.write('\n');
    report(measured, { certificates, head, loadAtStart });
  } catch (error) {
    process.stderr.write(`the ledger's log: ${tail(logFile, 30)}\n`);
    throw error;
  } finally {
    await browser?.close();
    if (ledger) await stopChild(ledger, children);
    await server?.stop();
    rmSync(workDir, { recursive: true, force: true });
  }
}

/** `ledger seed demo --url`, the CLI as `npm run ledger` runs it, signing its tokens with the ledger's key. */
async function seedDemo(base: string, dataDir: string, secrets: { tokenKey: string; subjectKey: string; folioKey: string; masterKey: string }, people?: number): Promise<void> {
  const args = ['-r', 'ts-node/register/transpile-only', '-r', 'tsconfig-paths/register', 'apps/cli/src/main.ts', 'seed', 'demo', '--url', base, '--concurrency', '16'];
  if (people !== undefined) args.push('--people', String(people));
  const env = { ...process.env, LEDGER_DATA_DIR: dataDir, LEDGER_TOKEN_KEY: secrets.tokenKey, LEDGER_SUBJECT_KEY: secrets.subjectKey, LEDGER_FOLIO_KEY: secrets.folioKey, LEDGER_MASTER_KEY: secrets.masterKey };
  const child = spawn(process.execPath, args, { cwd: REPO_ROOT, env, stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr?.on('data', (chunk) => (stderr += chunk));
  const code = await new Promise<number | null>((done) => child.once('exit', done));
  if (code !== 0) throw new Error(`ledger seed demo exited with ${code}: ${stderr.slice(-2_000)}`);
}

/** Navigation start to the view painted with its figures, in the page's own clock. */
async function firstView(page: Page, base: string): Promise<number> {
  await page.goto(`${base}/console`, { waitUntil: 'commit' });
  await page.waitForFunction(() => performance.getEntriesByName('view:panorama').length > 0, undefined, { polling: 'raf', timeout: 30_000 });
  // Evaluated as text: this file compiles without the DOM's types.
  const [painted, failed] = (await page.evaluate(
    `new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(() => done([performance.now(), document.querySelector('#panorama-error')?.hidden === false]))))`,
  )) as [number, boolean];
  if (failed) throw new Error('the panorama showed an error');
  return painted;
}

async function measureRound(browser: Browser, base: string, token: string): Promise<Round> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'es-MX' });
  try {
    await context.addInitScript(([key, value]) => (globalThis as unknown as { sessionStorage: { setItem(k: string, v: string): void } }).sessionStorage.setItem(key, value), [TOKEN_STORAGE, token] as const);
    const page = await context.newPage();
    const cold = await firstView(page, base);
    const warm = await firstView(page, base);
    const api = await page.evaluate(
      async ([calls, bearer]) => {
        const started = performance.now();
        await Promise.all(calls.map((path) => fetch(path, { headers: { Authorization: `Bearer ${bearer}`, Accept: 'application/json' } }).then((response) => response.json())));
        return performance.now() - started;
      },
      [PANORAMA_CALLS, token] as const,
    );
    const fresh = await context.browser()!.newContext();
    try {
      const floorPage = await fresh.newPage();
      await floorPage.goto(`${base}/verify`, { waitUntil: 'domcontentloaded' });
      const floor = (await floorPage.evaluate(`performance.getEntriesByType('navigation')[0].domContentLoadedEventEnd`)) as number;
      return { cold, warm, api, floor };
    } finally {
      await fresh.close();
    }
  } finally {
    await context.close();
  }
}

function report(rounds: readonly Round[], run: { certificates: number; head: bigint; loadAtStart: number }): void {
  const ms = (value: number) => `${Math.round(value)} ms`;
  const of = (pick: (round: Round) => number) => ({ p50: percentile(rounds.map(pick), 0.5), p90: percentile(rounds.map(pick), 0.9) });
  const cold = of((round) => round.cold);
  const warm = of((round) => round.warm);
  const api = of((round) => round.api);
  const floor = of((round) => round.floor);
  const lines = [
    '',
    `the console's first view on the demo: ${run.certificates.toLocaleString('en')} certificates, log head at ${run.head}, ${rounds.length} rounds, load average ${run.loadAtStart.toFixed(2)} at start`,
    '',
    '                                     p50        p90     p50 / API   p50 / static floor',
    `  panorama's API calls alone    ${ms(api.p50).padStart(9)}  ${ms(api.p90).padStart(9)}        1.00`,
    `  static page floor (/verify)   ${ms(floor.p50).padStart(9)}  ${ms(floor.p90).padStart(9)}   ${(floor.p50 / api.p50).toFixed(2).padStart(9)}           1.00`,
    `  first view, cold cache        ${ms(cold.p50).padStart(9)}  ${ms(cold.p90).padStart(9)}   ${(cold.p50 / api.p50).toFixed(2).padStart(9)}   ${(cold.p50 / floor.p50).toFixed(2).padStart(18)}`,
    `  first view, warm cache        ${ms(warm.p50).padStart(9)}  ${ms(warm.p90).padStart(9)}   ${(warm.p50 / api.p50).toFixed(2).padStart(9)}   ${(warm.p50 / floor.p50).toFixed(2).padStart(18)}`,
    '',
    `target: first view under ${ms(TARGET_MS)} on the demo data (cold, p90): ${cold.p90 < TARGET_MS ? 'met' : 'MISSED'}`,
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
