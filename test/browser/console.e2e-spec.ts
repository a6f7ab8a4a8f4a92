import { readFileSync } from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import request from 'supertest';
import { callersFor, enrollmentBody, EVIDENCE, nextPerson, post, seedReferenceData, type Callers } from '../e2e/support/ledger-client';
import { POSTGRES_MODE, type LedgerUnderTest } from '../e2e/support/ledger-modes';
import type { LedgerServer } from '../e2e/support/ledger-server';
import { signToken } from '../e2e/support/tokens';
import { launchChromium, screenshotPath } from './support/browser';

jest.setTimeout(120_000);

const AXE = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');
const figure = (text: string | null) => Number((text ?? '').replace(/[^\d]/g, ''));

/**
 * The comptrollers' console at /console, in headless Chromium: sign in by
 * pasting a token, see the panorama, whose totals are the stats API's, and
 * filter it (the URL keeps the filters, so the view can be shared).
 */
describe('the comptrollers’ console (/console)', () => {
  let ledger: LedgerUnderTest;
  let server: LedgerServer;
  let callers: Callers;
  let browser: Browser;
  let lastWrite: string;
  let revokedFolio: string;

  async function certify(state: string, municipality: string): Promise<string> {
    const enrolled = await post(server, '/v1/enrollments', callers.registrar, enrollmentBody(nextPerson(state), { jurisdiction: { state, municipality } }));
    const { processId } = enrolled.body as { processId: string };
    await post(server, `/v1/enrollments/${processId}/evaluations`, callers.evaluator, { result: 'competent', evidenceDigest: EVIDENCE, evaluatedAt: '2018-11-01T16:00:00Z' });
    const issued = await post(server, `/v1/enrollments/${processId}/certificate`, callers.certifier, { issuedAt: '2018-11-13T18:00:00Z' });
    expect(issued.status).toBe(201);
    lastWrite = (issued.body as { position: string }).position;
    return (issued.body as { folio: string }).folio;
  }

  /** Signs in on `path` and waits for `ready` (by default, the panorama's totals). */
  async function signedIn(token: string, path = '/console', ready = '#total-all:not(:text("—"))'): Promise<{ page: Page; errors: string[] }> {
    const page = await (await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'es-MX' })).newPage();
    const errors: string[] = [];
    page.on('console', (message) => message.type() === 'error' && errors.push(message.text()));
    page.on('pageerror', (error) => errors.push(error.message));
    await page.goto(`${server.baseUrl}${path}`);
    await page.locator('#token').fill(token);
    await page.locator('#sign-in-form button[type=submit]').click();
    await page.locator(ready).waitFor();
    return { page, errors };
  }

  beforeAll(async () => {
    ledger = await POSTGRES_MODE.start({ databasePrefix: 'console' });
    server = ledger.server;
    callers = callersFor(server);
    await seedReferenceData(server, callers);
    for (let n = 0; n < 3; n++) await certify('BC', 'Tijuana');
    await certify('BC', 'Mexicali');
    revokedFolio = await certify('QR', 'Benito Juárez');
    const revoked = await post(server, `/v1/certificates/${revokedFolio}/revocation`, callers.authority, { reason: 'Evidencia no atribuible al candidato', revokedAt: '2019-02-18T17:00:00Z' });
    expect(revoked.status).toBe(201);
    const program = await post(server, '/v1/programs', callers.authority, {
      programId: 'tijuana-2018', name: 'Tijuana 2018', jurisdiction: { state: 'BC', municipality: 'Tijuana' }, standards: ['EC0105'], startsOn: '2018-01-01', endsOn: '2018-12-31', target: { count: 6 },
    });
    lastWrite = (program.body as { position: string }).position;
    await request(server.baseUrl).get(`/v1/programs?minPosition=${lastWrite}`).set('Authorization', callers.comptroller);
    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser?.close();
    await ledger?.stop();
  });

  it('signs in with a pasted token, says who is signed in, and shows the totals and programs the API gives', async () => {
    const { page, errors } = await signedIn(callers.comptroller.replace(/^Bearer /, ''));
    const stats = await request(server.baseUrl).get('/v1/stats/certifications').set('Authorization', callers.comptroller);
    expect(figure(await page.locator('#total-all').textContent())).toBe(stats.body.groups[0].count);
    expect(figure(await page.locator('#total-all').textContent())).toBe(5);
    expect(await page.locator('#who').textContent()).toContain('Contraloría');
    expect(await page.locator('#who').textContent()).toContain('todo el país');
    expect(await page.locator('#position').textContent()).toMatch(/Posición del registro: [\d,]+/);
    expect(await page.locator('#programs').textContent()).toContain('Tijuana 2018');
    expect(await page.locator('#programs').textContent()).toMatch(/50\s?%/);
    await page.screenshot({ path: screenshotPath('console-panorama'), fullPage: true });
    expect(errors).toEqual([]);
  });

  it('filters by state: the totals change, the URL keeps the filter, and the same URL opens the same view', async () => {
    const { page } = await signedIn(callers.comptroller.replace(/^Bearer /, ''));
    await page.locator('#filters input[name=state]').fill('QR');
    await page.locator('#filters button[type=submit]').click();
    await page.waitForURL('**/console?state=QR');
    await page.locator('#total-all:text-is("1")').waitFor();
    const stats = await request(server.baseUrl).get('/v1/stats/certifications?state=BC').set('Authorization', callers.comptroller);
    await page.goto(`${server.baseUrl}/console?state=BC`);
    await page.locator(`#total-all:text-is("${stats.body.groups[0].count}")`).waitFor();
    expect(await page.locator('#filters input[name=state]').inputValue()).toBe('BC');
    // On the map, Quintana Roo is shaded as holding certificates; choosing it filters by it.
    await page.goto(`${server.baseUrl}/console`);
    await page.locator('#total-all:text-is("5")').waitFor();
    expect(await page.locator('#map path').count()).toBe(32);
    expect(await page.locator('#map path[data-state="QR"]').getAttribute('aria-label')).toBe('Quintana Roo: 1 certificados');
    expect(await page.locator('#map path[data-state="JC"]').getAttribute('fill')).toBe('#ebe8e2');
    await page.locator('#map path[data-state="QR"]').focus();
    await page.keyboard.press('Enter');
    await page.waitForURL('**/console?state=QR');
    await page.locator('#total-all:text-is("1")').waitFor();
  });

  it('shows a scoped comptroller its state, and refuses a token that is not a comptroller’s, saying why', async () => {
    const quintanaRoo = signToken(server.secrets.tokenKey, { sub: 'auditor-qroo', role: 'comptroller', org: 'SECOGEQROO' }, 3600, { jurisdiction: 'QR' });
    const { page } = await signedIn(quintanaRoo);
    expect(figure(await page.locator('#total-all').textContent())).toBe(1);
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

  it('lists certificates with their filters in the URL, and opens the story of a revoked one, its revocation last', async () => {
    const token = callers.comptroller.replace(/^Bearer /, '');
    const { page } = await signedIn(token, '/console?view=certificados&status=revoked', '#certificate-rows a');
    await page.locator('#certificate-rows a').first().waitFor();
    expect(await page.locator('#certificate-rows tr').count()).toBe(1);
    expect(await page.locator('#certificate-rows').textContent()).toContain('Revocado');
    await Promise.all([page.waitForURL(`**/console?view=folio&folio=${revokedFolio}`), page.locator('#certificate-rows a').first().click()]);
    await page.locator('#timeline li').last().waitFor();
    const steps = await page.locator('#timeline .step').allTextContents();
    expect(steps[0]).toBe('Inscripción');
    expect(steps).toContain('Evaluación · competente');
    expect(steps.at(-1)).toBe('Revocación · motivo: Evidencia no atribuible al candidato');
    expect(await page.locator('#timeline').textContent()).toContain('en vigor ese día');
    await page.screenshot({ path: screenshotPath('console-folio'), fullPage: true });
    // An unknown folio is said so, not shown as an empty story.
    await page.goto(`${server.baseUrl}/console?view=folio&folio=0000-0000-0000-0`);
    await page.locator('#folio-error:not([hidden])').waitFor();
  });

  it('shows the transparency report as of a date and downloads it byte for byte as the API gives it', async () => {
    const token = callers.comptroller.replace(/^Bearer /, '');
    const { page } = await signedIn(token, `/console?view=reportes&asOf=2018-12-31&atPosition=${lastWrite}`, '#report-downloads:not([hidden])');
    await page.locator('#report-downloads:not([hidden])').waitFor();
    expect(await page.locator('#report-rows tr').count()).toBe(5);
    const [download] = await Promise.all([page.waitForEvent('download'), page.locator('#report-csv').click()]);
    const saved = readFileSync((await download.path())!);
    const api = await request(server.baseUrl).get(`/v1/reports/transparency?asOf=2018-12-31&atPosition=${lastWrite}&format=csv`).set('Authorization', callers.comptroller).buffer(true).parse((response, done) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () => done(null, Buffer.concat(chunks)));
    });
    expect(saved.equals(api.body as Buffer)).toBe(true);
    expect(download.suggestedFilename()).toBe(`transparency-2018-12-31-p${lastWrite}.csv`);
  });

  it('shows the audit trail with its filters, and a person’s timeline by subjectId', async () => {
    const token = callers.comptroller.replace(/^Bearer /, '');
    const { page } = await signedIn(token, '/console?view=auditoria&role=authority', '#audit-rows tr >> nth=0');
    const trail = await request(server.baseUrl).get('/v1/audit/events?role=authority&limit=50').set('Authorization', callers.comptroller);
    expect(await page.locator('#audit-rows tr').count()).toBe(trail.body.items.length);
    expect(await page.locator('#audit-rows').textContent()).toContain('Revocación (CertificateRevoked)');
    const certificate = await request(server.baseUrl).get(`/v1/certificates/${revokedFolio}`).set('Authorization', callers.comptroller);
    await page.locator('#audit-filters select[name=role]').selectOption('');
    await page.locator('#audit-filters input[name=subjectId]').fill(certificate.body.subjectId);
    await page.locator('#audit-filters button[type=submit]').click();
    await page.waitForURL(`**/console?view=auditoria&subjectId=${certificate.body.subjectId}`);
    await page.locator('#audit-rows:has-text("Inscripción")').waitFor();
    const timeline = await request(server.baseUrl).get(`/v1/people/${certificate.body.subjectId}/timeline?limit=50`).set('Authorization', callers.comptroller);
    expect(await page.locator('#audit-rows tr').count()).toBe(timeline.body.items.length);
  });

  it('speaks English on request, and Spanish again, keeping the view and its figures', async () => {
    const { page } = await signedIn(callers.comptroller.replace(/^Bearer /, ''));
    await page.locator('#language').click();
    await page.locator('#panorama-title:text-is("Overview")').waitFor();
    expect(await page.locator('html').getAttribute('lang')).toBe('en');
    expect(await page.locator('#nav').textContent()).toContain('Certificates');
    expect(await page.locator('#who').textContent()).toContain('Comptroller');
    expect(figure(await page.locator('#total-all').textContent())).toBe(5);
    await page.locator('#language').click();
    await page.locator('#panorama-title:text-is("Panorama")').waitFor();
    expect(await page.locator('html').getAttribute('lang')).toBe('es-MX');
    expect(await page.locator('#nav').textContent()).toContain('Certificados');
  });

  it('has no serious accessibility violation on the sign-in page and the panorama', async () => {
    const page = await (await browser.newContext()).newPage();
    await page.goto(`${server.baseUrl}/console`);
    await page.evaluate(AXE);
    const run = () => page.evaluate(async () => (globalThis as unknown as { axe: { run(): Promise<{ violations: { id: string; impact: string }[] }> } }).axe.run());
    expect((await run()).violations.filter((violation) => violation.impact === 'serious' || violation.impact === 'critical')).toEqual([]);
    const { page: panorama } = await signedIn(callers.comptroller.replace(/^Bearer /, ''));
    await panorama.evaluate(AXE);
    const results = await panorama.evaluate(async () => (globalThis as unknown as { axe: { run(): Promise<{ violations: { id: string; impact: string }[] }> } }).axe.run());
    expect(results.violations.filter((violation) => violation.impact === 'serious' || violation.impact === 'critical')).toEqual([]);
  });
});
