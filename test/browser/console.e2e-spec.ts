import { readFileSync } from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import request from 'supertest';
import { demoForComptrollers } from '../e2e/support/demo-checks';
import { callersFor, type Callers } from '../e2e/support/ledger-client';
import { POSTGRES_MODE, type LedgerUnderTest } from '../e2e/support/ledger-modes';
import { runCli, temporaryDataDir, type LedgerServer } from '../e2e/support/ledger-server';
import { signToken } from '../e2e/support/tokens';
import { eventually } from '../support/eventually';
import { launchChromium, screenshotPath } from './support/browser';

jest.setTimeout(180_000);

/** What page.evaluate's functions reach in the page (the tests compile without the DOM's types). */
type InPage = { localStorage: { getItem(key: string): string | null; setItem(key: string, value: string): void } };

const AXE = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');
const figure = (text: string | null) => Number((text ?? '').replace(/[^\d]/g, ''));
const bytesOf = (call: request.Test) =>
  call.buffer(true).parse((response, done) => {
    const chunks: Buffer[] = [];
    response.on('data', (chunk: Buffer) => chunks.push(chunk));
    response.on('end', () => done(null, Buffer.concat(chunks)));
  });

/**
 * The comptrollers' console at /console, in headless Chromium, on a ledger
 * seeded with the demo (`ledger seed demo`, its ceremony scaled to 51): sign
 * in by pasting a token, the panorama's totals are the stats API's, a filter
 * changes the totals, the charts and the URL, a revoked certificate's story
 * ends with its revocation, the report downloads byte for byte as the API
 * gives it. Screenshots of each view go to test-output/screenshots.
 */
describe('the comptrollers’ console (/console), on the demo', () => {
  let ledger: LedgerUnderTest;
  let server: LedgerServer;
  let callers: Callers;
  let browser: Browser;
  let token: string;
  let head: string;
  const data = temporaryDataDir();

  const api = (path: string, authorization = callers.comptroller) => request(server.baseUrl).get(path).set('Authorization', authorization);

  /** Signs in on `path` and waits for `ready` (by default, the panorama's totals). */
  async function signedIn(signInWith: string, path = '/console', ready = '#total-all:not(:text("—"))'): Promise<{ page: Page; errors: string[] }> {
    const page = await (await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'es-MX' })).newPage();
    const errors: string[] = [];
    page.on('console', (message) => message.type() === 'error' && errors.push(message.text()));
    page.on('pageerror', (error) => errors.push(error.message));
    await page.goto(`${server.baseUrl}${path}`);
    await page.locator('#token').fill(signInWith);
    await page.locator('#sign-in-form button[type=submit]').click();
    await page.locator(ready).waitFor();
    return { page, errors };
  }

  beforeAll(async () => {
    ledger = await POSTGRES_MODE.start({ databasePrefix: 'console' });
    server = ledger.server;
    callers = callersFor(server);
    token = callers.comptroller.replace(/^Bearer /, '');
    const env = { LEDGER_DATA_DIR: data.dir, LEDGER_TOKEN_KEY: server.secrets.tokenKey, LEDGER_SUBJECT_KEY: server.secrets.subjectKey, LEDGER_FOLIO_KEY: server.secrets.folioKey };
    const seeded = await runCli(['seed', 'demo', '--url', server.baseUrl, '--concurrency', '16', '--people', '672'], env);
    if (seeded.code !== 0) throw new Error(`seed demo failed: ${seeded.stderr.slice(-2_000)}`);
    head = (await ledger.store.headPosition()).toString();
    // The read models have the whole demo before the browser asks.
    expect((await api(`/v1/programs?minPosition=${head}`)).status).toBe(200);
    // And the verifiable log has signed a checkpoint covering all of it, so that the proofs the Folio page checks are of today's statuses.
    await eventually(async () => {
      const checkpoint = (await request(server.baseUrl).get('/v1/log/checkpoint')).text;
      return Number(checkpoint.split('\n')[1]) > Number(head) ? true : undefined;
    }, 60_000, 200, 'a checkpoint covering the seeded demo');
    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser?.close();
    await ledger?.stop();
    data.remove();
  });

  it('signs in with a pasted token, says who is signed in, and shows the totals, programs and findings the API gives', async () => {
    const { page, errors } = await signedIn(token);
    const all = (await api('/v1/stats/certifications')).body.groups[0].count;
    const revoked = (await api('/v1/stats/certifications?status=revoked')).body.groups[0].count;
    expect(figure(await page.locator('#total-all').textContent())).toBe(all);
    expect(figure(await page.locator('#total-revoked').textContent())).toBe(revoked);
    expect(await page.locator('#who').textContent()).toBe('auditor-1 · Contraloría · SECOGEF · todo el país');
    expect(await page.locator('#position').textContent()).toMatch(/^Posición del registro: [\d,]+$/);
    expect(await page.locator('#programs').textContent()).toContain('Certificación en EC0105 de servidores públicos del Ayuntamiento de Tijuana');
    expect(await page.locator('#findings tr').count()).toBe(6);
    // Findings said in Spanish from their figures (the API's summaries are English).
    const findings = (await page.locator('#findings').textContent())!;
    expect(findings).toMatch(/El evaluador ev-oc-peninsular-01 registró \d+ juicios el 4 de junio de 2019 \(hora de la Ciudad de México\), más de los \d+ que/);
    expect(findings).toMatch(/El prestador oc-peninsular emitió \d+ certificados uno por uno el 1 de julio de 2019, fuera de todo lote/);
    expect(findings).not.toMatch(/Evaluator|Provider|Certificate /);
    expect(await page.locator('#map path').count()).toBe(32);
    await page.screenshot({ path: screenshotPath('console-panorama'), fullPage: true });
    expect(errors).toEqual([]);
  });

  it('filters by Baja California: the totals are the API’s, the charts and the URL change, and the URL opens the same view', async () => {
    const { page } = await signedIn(token);
    expect(await page.locator('#chart-state').textContent()).toContain('QR');
    await page.locator('#filters input[name=state]').fill('BC');
    await page.locator('#filters button[type=submit]').click();
    await page.waitForURL('**/console?state=BC');
    const bajaCalifornia = (await api('/v1/stats/certifications?state=BC')).body.groups[0].count;
    await page.locator(`#total-all:text-is("${bajaCalifornia.toLocaleString('es-MX')}")`).waitFor();
    expect(await page.locator('#chart-state').textContent()).not.toContain('QR');
    // The token stays in its tab: another tab opening the URL signs in, then shows the same view.
    const { page: again } = await signedIn(token, '/console?state=BC', `#total-all:text-is("${bajaCalifornia.toLocaleString('es-MX')}")`);
    expect(await again.locator('#filters input[name=state]').inputValue()).toBe('BC');
    // Quintana Roo, chosen on the map with the keyboard, is a filter too.
    await again.goto(`${server.baseUrl}/console`);
    await again.locator('#total-all:not(:text("—"))').waitFor();
    await again.locator('#map path[data-state="QR"]').focus();
    await again.keyboard.press('Enter');
    await again.waitForURL('**/console?state=QR');
    const quintanaRoo = (await api('/v1/stats/certifications?state=QR')).body.groups[0].count;
    await again.locator(`#total-all:text-is("${quintanaRoo.toLocaleString('es-MX')}")`).waitFor();
  });

  it('shows a scoped comptroller its state, and refuses a token that is not a comptroller’s, saying why', async () => {
    const quintanaRoo = signToken(server.secrets.tokenKey, { sub: 'auditor-qroo', role: 'comptroller', org: 'SECOGEQROO' }, 3600, { jurisdiction: 'QR' });
    const { page } = await signedIn(quintanaRoo);
    const scoped = (await api('/v1/stats/certifications', `Bearer ${quintanaRoo}`)).body.groups[0].count;
    expect(figure(await page.locator('#total-all').textContent())).toBe(scoped);
    expect(await page.locator('#who').textContent()).toContain('estado QR');
    const other = await (await browser.newContext()).newPage();
    await other.goto(`${server.baseUrl}/console`);
    await other.locator('#token').fill(callers.certifier.replace(/^Bearer /, ''));
    await other.locator('#sign-in-form button[type=submit]').click();
    await other.locator('#sign-in-error:not([hidden])').waitFor();
    expect(await other.locator('#sign-in-error').textContent()).toContain('contraloría');
    await other.locator('#token').fill('not a token');
    await other.locator('#sign-in-form button[type=submit]').click();
    expect(await other.locator('#sign-in-error').textContent()).toContain('no parece un token');
  });

  it('lists the revoked certificates, and opens the story of one, its revocation last', async () => {
    const { page } = await signedIn(token, '/console?view=certificados&status=revoked', '#certificate-rows a >> nth=0');
    expect(await page.locator('#certificate-rows tr').count()).toBe(3);
    await page.screenshot({ path: screenshotPath('console-certificados'), fullPage: true });
    const folio = (await page.locator('#certificate-rows a').first().textContent())!;
    await Promise.all([page.waitForURL(`**/console?view=folio&folio=${folio}`), page.locator('#certificate-rows a').first().click()]);
    await page.locator('#timeline li >> nth=0').waitFor();
    const steps = await page.locator('#timeline .step').allTextContents();
    expect(steps[0]).toBe('Inscripción');
    expect(steps).toContain('Evaluación · competente');
    expect(steps.at(-1)).toMatch(/^Revocación · motivo: /);
    expect(await page.locator('#timeline').textContent()).toContain('en vigor ese día');
    // The proof bundle checked in the page (log-proof.js, Web Crypto): five entries, the revocation among them.
    await page.locator('#log-proof.verified').waitFor();
    const verdict = (await page.locator('#log-proof').textContent())!;
    expect(verdict).toMatch(/^✓ Comprobado en este navegador: la emisión \(hoja [\d,]+\), la inscripción .*, la revocación \(hoja [\d,]+\) están en el árbol de [\d,]+ hojas firmado por /);
    expect(verdict).toContain('estado firmado: Revocado');
    const key = (await request(server.baseUrl).get('/v1/log/key')).text.trim();
    expect(verdict).toContain(`${key.split('+')[0]} (clave ${key.split('+')[1]})`);
    expect(await page.locator('#timeline li .in-log').count()).toBe(4); // the accreditation is on the evaluator's stream, not in this story
    expect(await page.locator('#timeline li:last-child .in-log').textContent()).toMatch(/^✓ En el registro verificable, hoja /);
    await page.screenshot({ path: screenshotPath('console-folio'), fullPage: true });

    // A served bundle with one entry's bytes changed is caught in the page, and the page says so.
    await page.route('**/v1/public/certificates/*/proof', async (route) => {
      const served = await route.fetch();
      const bundle = JSON.parse(await served.text());
      const entry = JSON.parse(Buffer.from(bundle.entries[0].entry, 'base64').toString('utf8'));
      entry.data.standardCode = 'EC0217';
      bundle.entries[0].entry = Buffer.from(JSON.stringify(entry)).toString('base64');
      await route.fulfill({ response: served, body: JSON.stringify(bundle) });
    });
    await page.reload();
    await page.locator('#log-proof.error').waitFor();
    expect(await page.locator('#log-proof').textContent()).toBe(
      '✗ La prueba del registro verificable no se comprobó: una entrada no es la que el registro firmó (the issuance entry does not hash to the leaf the status statement names)',
    );
    await page.unroute('**/v1/public/certificates/*/proof');

    // The browser keeps the largest checkpoint it saw: one of the same size with another root is a forked history.
    const seen = JSON.parse((await page.evaluate(() => (globalThis as unknown as InPage).localStorage.getItem('ledger.console.logCheckpoint')))!);
    expect(seen.treeSize).toBeGreaterThan(0);
    await page.evaluate((forged) => (globalThis as unknown as InPage).localStorage.setItem('ledger.console.logCheckpoint', forged), JSON.stringify({ ...seen, rootHash: Buffer.alloc(32, 7).toString('base64') }));
    await page.reload();
    await page.locator('#log-proof.error').waitFor();
    expect(await page.locator('#log-proof').textContent()).toMatch(/hojas con raíces distintas: una historia bifurcada$/);
    // A log key other than the one this browser trusted is refused until its operator confirms it.
    await page.evaluate((state) => {
      (globalThis as unknown as InPage).localStorage.setItem('ledger.console.logCheckpoint', state.seen);
      (globalThis as unknown as InPage).localStorage.setItem('ledger.console.logKey', state.key.replace(/\+[0-9a-f]{8}\+/, '+0badc0de+'));
    }, { seen: JSON.stringify(seen), key });
    await page.reload();
    await page.locator('#log-proof.error').waitFor();
    expect(await page.locator('#log-proof').textContent()).toContain('La clave del registro cambió desde su última visita (0badc0de → ');
    await page.evaluate((trusted) => (globalThis as unknown as InPage).localStorage.setItem('ledger.console.logKey', trusted), key);
    // A remembered checkpoint that is not one (junk, or a size that is no count) is forgotten, not trusted nor fatal.
    for (const junk of ['not json', '{"treeSize":"7","rootHash":"AA"}', JSON.stringify({ treeSize: -1, rootHash: seen.rootHash }), '{"treeSize":1e999}']) {
      await page.evaluate((value) => (globalThis as unknown as InPage).localStorage.setItem('ledger.console.logCheckpoint', value), junk);
      await page.reload();
      await page.locator('#log-proof.verified').waitFor();
    }
    // A folio of control characters and escapes in the URL: the page says the API's refusal, as text.
    await page.goto(`${server.baseUrl}/console?view=folio&folio=%00%1B%5B31m%3Cscript%3E`);
    await page.locator('#folio-error:not([hidden])').waitFor();
    expect(await page.locator('#timeline li').count()).toBe(0);
    expect(await page.locator('#log-proof').textContent()).toBe('');

    await page.goto(`${server.baseUrl}/console?view=folio&folio=0000-0000-0000-0`);
    await page.locator('#folio-error:not([hidden])').waitFor();
  });

  it('shows the transparency report as of a date and downloads it byte for byte as the API gives it', async () => {
    const { page } = await signedIn(token, `/console?view=reportes&asOf=2018-12-31&atPosition=${head}&state=BC`, '#report-downloads:not([hidden])');
    await page.screenshot({ path: screenshotPath('console-reportes'), fullPage: true });
    for (const format of ['csv', 'json'] as const) {
      const [download] = await Promise.all([page.waitForEvent('download'), page.locator(`#report-${format}`).click()]);
      const saved = readFileSync((await download.path())!);
      const answer = await bytesOf(api(`/v1/reports/transparency?asOf=2018-12-31&atPosition=${head}&state=BC&format=${format}`));
      expect(saved.equals(answer.body as Buffer)).toBe(true);
    }
  });

  it('shows the audit trail with its filters, and a person’s timeline by subjectId', async () => {
    const { page } = await signedIn(token, '/console?view=auditoria&role=authority', '#audit-rows tr >> nth=0');
    const trail = await api('/v1/audit/events?role=authority&limit=50');
    expect(await page.locator('#audit-rows tr').count()).toBe(trail.body.items.length);
    await page.screenshot({ path: screenshotPath('console-auditoria'), fullPage: true });
    const [revoked] = (await api('/v1/certificates?status=revoked&limit=1')).body.items as { subjectId: string }[];
    await page.locator('#audit-filters select[name=role]').selectOption('');
    await page.locator('#audit-filters input[name=subjectId]').fill(revoked.subjectId);
    await page.locator('#audit-filters button[type=submit]').click();
    await page.waitForURL(`**/console?view=auditoria&subjectId=${revoked.subjectId}`);
    await page.locator('#audit-rows:has-text("Inscripción")').waitFor();
    const timeline = await api(`/v1/people/${revoked.subjectId}/timeline?limit=50`);
    expect(await page.locator('#audit-rows tr').count()).toBe(timeline.body.items.length);
  });

  it('speaks English on request, and Spanish again, keeping the view and its figures', async () => {
    const { page } = await signedIn(token);
    const total = await page.locator('#total-all').textContent();
    await page.locator('#language').click();
    await page.locator('#panorama-title:text-is("Overview")').waitFor();
    expect(await page.locator('html').getAttribute('lang')).toBe('en');
    expect(await page.locator('#nav').textContent()).toContain('Certificates');
    expect(await page.locator('#who').textContent()).toContain('Comptroller');
    expect(figure(await page.locator('#total-all').textContent())).toBe(figure(total));
    await page.locator('#findings :text("Evaluator ev-oc-peninsular-01 recorded")').waitFor();
    expect(await page.locator('#findings').textContent()).toMatch(/Evaluator ev-oc-peninsular-01 recorded \d+ judgments on 2019-06-04/);
    await page.locator('#language').click();
    await page.locator('#panorama-title:text-is("Panorama")').waitFor();
    expect(await page.locator('html').getAttribute('lang')).toBe('es-MX');
  });

  // What the console shows stands on these answers: the demo's programs and findings, as the API gives them.
  describe('the demo through the API', () => {
    demoForComptrollers(() => ({
      ceremony: 51,
      get: async (path) => {
        const response = await api(`${path}${path.includes('?') ? '&' : '?'}minPosition=${head}`);
        expect(response.status).toBe(200);
        return response.body;
      },
    }));
  });

  it('has no serious accessibility violation on the sign-in page and on each view', async () => {
    const serious = async (page: Page) => {
      await page.evaluate(AXE);
      const results = await page.evaluate(async () => (globalThis as unknown as { axe: { run(): Promise<{ violations: { id: string; impact: string }[] }> } }).axe.run());
      return results.violations.filter((violation) => violation.impact === 'serious' || violation.impact === 'critical').map((violation) => violation.id);
    };
    const page = await (await browser.newContext()).newPage();
    await page.goto(`${server.baseUrl}/console`);
    expect(await serious(page)).toEqual([]);
    const revoked = (await api('/v1/certificates?status=revoked&limit=1')).body.items[0].folio as string;
    for (const [path, ready] of [
      ['/console', '#total-all:not(:text("—"))'],
      ['/console?view=certificados', '#certificate-rows a >> nth=0'],
      ['/console?view=folio', '#folio-form'],
      // A story with its proof checked (the green marks and the verdict).
      [`/console?view=folio&folio=${revoked}`, '#log-proof.verified'],
      ['/console?view=auditoria', '#audit-rows tr >> nth=0'],
      ['/console?view=reportes&asOf=2018-12-31', '#report-downloads:not([hidden])'],
    ]) {
      const { page: view } = await signedIn(token, path, ready);
      expect({ path, violations: await serious(view) }).toEqual({ path, violations: [] });
    }
  });
});
