import { readFileSync } from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import request from 'supertest';
import { FOLIO_ALPHABET, folioCheckSymbol } from '@ledger/domain';
import { callersFor, enrollmentBody, EVIDENCE, nextPerson, post, seedReferenceData, type Callers } from '../e2e/support/ledger-client';
import { POSTGRES_MODE, type LedgerUnderTest } from '../e2e/support/ledger-modes';
import type { LedgerServer } from '../e2e/support/ledger-server';
import { launchChromium, screenshotPath } from './support/browser';

jest.setTimeout(120_000);

const AXE = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

/**
 * The public verification page a certificate's QR code opens, in headless
 * Chromium: what a citizen sees for a valid, a revoked, an unknown and a
 * mistyped folio, on a phone-sized screen; no request of the page breaks its
 * content security policy; no serious accessibility violation (axe-core).
 */
describe('the public verification page (/verify/{folio})', () => {
  let ledger: LedgerUnderTest;
  let server: LedgerServer;
  let callers: Callers;
  let browser: Browser;
  let validFolio: string;
  let revokedFolio: string;
  let lastWrite: string;

  async function certify(fullName: string): Promise<string> {
    // Issued a year ago: in force for four more (EC0105 certificates are valid for five).
    const enrolled = await post(server, '/v1/enrollments', callers.registrar, enrollmentBody({ ...nextPerson('BC'), fullName }, { enrolledAt: '2025-10-01T15:00:00Z' }));
    const { processId } = enrolled.body as { processId: string };
    await post(server, `/v1/enrollments/${processId}/evaluations`, callers.evaluator, { result: 'competent', evidenceDigest: EVIDENCE, evaluatedAt: '2025-11-03T16:00:00Z' });
    const issued = await post(server, `/v1/enrollments/${processId}/certificate`, callers.certifier, { issuedAt: '2025-11-13T18:00:00Z' });
    expect(issued.status).toBe(201);
    lastWrite = (issued.body as { position: string }).position;
    return (issued.body as { folio: string }).folio;
  }

  /** Opens the page on a phone-sized screen and waits for its answer (the section stops being busy). */
  async function open(path: string): Promise<{ page: Page; violations: string[]; verdict: string }> {
    const context = await browser.newContext({ viewport: { width: 390, height: 844 }, locale: 'es-MX' });
    const page = await context.newPage();
    const violations: string[] = [];
    page.on('console', (message) => {
      if (message.type() === 'error') violations.push(message.text());
    });
    page.on('pageerror', (error) => violations.push(error.message));
    await page.goto(`${server.baseUrl}${path}`);
    await page.locator('#answer[aria-busy="false"]').waitFor();
    return { page, violations, verdict: (await page.locator('#verdict').textContent()) ?? '' };
  }

  beforeAll(async () => {
    ledger = await POSTGRES_MODE.start({ databasePrefix: 'verify_page' });
    server = ledger.server;
    callers = callersFor(server);
    await seedReferenceData(server, callers);
    validFolio = await certify('María José Ñúñez Güemes');
    revokedFolio = await certify('<img src=x onerror=alert(1)> Pérez');
    const revoked = await post(server, `/v1/certificates/${revokedFolio}/revocation`, callers.authority, { reason: 'Evidencia no atribuible', revokedAt: '2026-02-18T17:00:00Z' });
    expect(revoked.status).toBe(201);
    lastWrite = (revoked.body as { position: string }).position;
    // The read models have the revocation before the browser asks.
    expect((await request(server.baseUrl).get(`/v1/public/certificates/${revokedFolio}?minPosition=${lastWrite}`)).body.status).toBe('revoked');
    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser?.close();
    await ledger?.stop();
  });

  it('says a valid certificate is genuine and in force, with its holder, standard and dates, and links its printable PDF', async () => {
    const { page, violations, verdict } = await open(`/verify/${validFolio}`);
    expect(verdict).toBe('Certificado auténtico y vigente');
    expect(await page.locator('#holder').textContent()).toBe('María José Ñúñez Güemes');
    expect(await page.locator('#standard').textContent()).toContain('EC0105');
    expect(await page.locator('#issued').textContent()).toBe('13 de noviembre de 2025');
    expect(await page.locator('#valid-until').textContent()).toBe('13 de noviembre de 2030');
    expect(await page.locator('#status').textContent()).toBe('Vigente');
    const pdf = await page.locator('#document-link').getAttribute('href');
    expect(pdf).toBe(`/v1/public/certificates/${validFolio}/document`);
    expect((await request(server.baseUrl).get(pdf!)).headers['content-type']).toBe('application/pdf');
    await page.screenshot({ path: screenshotPath('verify-valid'), fullPage: true });
    expect(violations).toEqual([]);
  });

  it('says a revoked certificate is revoked, since when, and shows a name as text, never as markup', async () => {
    const { page, violations, verdict } = await open(`/verify/${revokedFolio.toLowerCase().replace(/-/g, '')}`);
    expect(verdict).toContain('revocado');
    expect(await page.locator('#status').textContent()).toBe('Revocado el 18 de febrero de 2026');
    expect(await page.locator('#holder').textContent()).toBe('<img src=x onerror=alert(1)> Pérez');
    expect(await page.locator('img').count()).toBe(0);
    await page.screenshot({ path: screenshotPath('verify-revoked'), fullPage: true });
    expect(violations).toEqual([]);
  });

  it('tells a mistyped folio (its check character) from one the registry does not hold, and from what is no folio', async () => {
    const mistyped = `${validFolio.slice(0, -1)}${validFolio.endsWith('0') ? '1' : '0'}`;
    expect((await open(`/verify/${mistyped}`)).verdict).toContain('error de captura');
    const body = FOLIO_ALPHABET[3].repeat(12);
    const unknown = `${body.slice(0, 4)}-${body.slice(4, 8)}-${body.slice(8)}-${folioCheckSymbol(body)}`;
    expect((await open(`/verify/${unknown}`)).verdict).toContain('No existe ningún certificado con este folio');
    expect((await open('/verify/%3Cscript%3Ealert(1)%3C%2Fscript%3E')).verdict).toContain('Esto no es un folio');
  });

  it('checks another folio from its form, with the keyboard alone', async () => {
    const { page } = await open(`/verify/${validFolio}`);
    await page.locator('#another-folio').focus();
    // The field holds the folio shown: select it all and type the other over it.
    await page.keyboard.press('Control+A');
    await page.keyboard.type(revokedFolio);
    await Promise.all([page.waitForURL(`**/verify/${revokedFolio}`), page.keyboard.press('Enter')]);
    await page.locator('#answer[aria-busy="false"]').waitFor();
    expect(await page.locator('#status').textContent()).toContain('Revocado');
  });

  it('has no serious accessibility violation, and is served with a policy that runs its own script only', async () => {
    const { page } = await open(`/verify/${validFolio}`);
    // axe runs through the DevTools protocol, which the page's policy does not govern.
    await page.evaluate(AXE);
    const results = await page.evaluate(async () => (globalThis as unknown as { axe: { run(): Promise<{ violations: { id: string; impact: string }[] }> } }).axe.run());
    expect(results.violations.filter((violation) => violation.impact === 'serious' || violation.impact === 'critical')).toEqual([]);
    const answer = await request(server.baseUrl).get(`/verify/${validFolio}`);
    expect(answer.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(answer.headers['content-security-policy']).toContain("script-src 'self'");
    expect(answer.headers['content-security-policy']).not.toContain('unsafe-inline');
    expect(answer.headers['cache-control']).toBe('no-cache');
    // The page is the same for every folio: nothing of the URL is written into it.
    expect(answer.text).toBe((await request(server.baseUrl).get('/verify/%3Cb%3E')).text);
    expect((await request(server.baseUrl).get('/console/other.js')).status).toBe(404);
    // Nothing outside the listed files is served, however the path is spelled.
    for (const path of ['/console/..%2f..%2fpackage.json', '/console/%2e%2e%2fpackage.json', '/console/vendor/..%2f..%2fpackage.json', '/console/verify.js%00.html', '/console/VERIFY.JS']) {
      const answer = await request(server.baseUrl).get(path);
      expect(`${path} ${answer.status}`).toBe(`${path} 404`);
      expect(answer.text).not.toContain('"dependencies"');
    }
    // A folio of control characters, markup or eight thousand characters gets the same page, never a 500.
    for (const path of ['/verify/%00%01%1b', `/verify/${'A'.repeat(8_000)}`, '/verify/%3Cscript%3E', '/verify?folio=%00']) {
      const answer = await request(server.baseUrl).get(path);
      expect(`${path.slice(0, 40)} ${answer.status}`).toBe(`${path.slice(0, 40)} 200`);
      expect(answer.text).toBe((await request(server.baseUrl).get('/verify')).text);
    }
  });
});
