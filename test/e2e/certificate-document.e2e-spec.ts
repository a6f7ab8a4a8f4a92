import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import jsQR from 'jsqr';
import { PDFDocument } from 'pdf-lib';
import { PNG } from 'pngjs';
import request from 'supertest';
import { FOLIO_ALPHABET, folioCheckSymbol } from '@ledger/domain';
import { callersFor, enrollmentBody, EVIDENCE, nextPerson, post, seedReferenceData, type Callers } from './support/ledger-client';
import { POSTGRES_MODE, type LedgerUnderTest } from './support/ledger-modes';
import type { LedgerServer } from './support/ledger-server';
import { screenshotPath } from '../browser/support/browser';

jest.setTimeout(120_000);

const PUBLIC_URL = 'https://registro.example.gob.mx/ledger';

/** The PDF's text, as poppler reads it (Debian's poppler-utils, which .ci/run installs). */
function textOf(pdf: Buffer, dir: string, mode: '-layout' | '-raw' = '-layout'): string {
  const file = join(dir, `document-${Date.now()}.pdf`);
  writeFileSync(file, pdf);
  return execFileSync('pdftotext', [mode, file, '-'], { encoding: 'utf8' });
}

/** The first QR code on the PDF's page, rendered by poppler and read by jsQR. */
function qrCodeOf(pdf: Buffer, dir: string): string | undefined {
  const file = join(dir, 'qr.pdf');
  writeFileSync(file, pdf);
  const image = screenshotPath('certificate-document');
  execFileSync('pdftoppm', ['-png', '-r', '110', '-singlefile', file, image.replace(/\.png$/, '')]);
  const png = PNG.sync.read(readFileSync(image));
  return jsQR(new Uint8ClampedArray(png.data), png.width, png.height)?.data;
}

/**
 * GET /v1/public/certificates/{folio}/document: the printable certificate,
 * for anyone holding the folio. It opens as a one-page A4 PDF; its QR code
 * decodes to the verification page on the configured public address; it
 * shows the holder, the standard, the provider and the status, never a CURP.
 */
describe('the printable certificate', () => {
  let ledger: LedgerUnderTest;
  let server: LedgerServer;
  let callers: Callers;
  let dir: string;
  let valid: { folio: string; person: { curp: string; fullName: string } };
  let revoked: { folio: string };
  let lastWrite: string;

  async function certify(person = nextPerson('BC'), year = 2018): Promise<{ folio: string; person: { curp: string; fullName: string } }> {
    const enrolled = await post(server, '/v1/enrollments', callers.registrar, enrollmentBody(person, { enrolledAt: `${year}-10-01T15:00:00Z` }));
    const { processId } = enrolled.body as { processId: string };
    await post(server, `/v1/enrollments/${processId}/evaluations`, callers.evaluator, { result: 'competent', evidenceDigest: EVIDENCE, evaluatedAt: `${year}-11-01T16:00:00Z` });
    const issued = await post(server, `/v1/enrollments/${processId}/certificate`, callers.certifier, { issuedAt: `${year}-11-13T18:00:00Z` });
    expect(issued.status).toBe(201);
    lastWrite = (issued.body as { position: string }).position;
    return { folio: (issued.body as { folio: string }).folio, person };
  }

  const document = (folio: string) => request(server.baseUrl).get(`/v1/public/certificates/${folio}/document?minPosition=${lastWrite}`).buffer(true).parse((response, done) => {
    const chunks: Buffer[] = [];
    response.on('data', (chunk: Buffer) => chunks.push(chunk));
    response.on('end', () => done(null, Buffer.concat(chunks)));
  });

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'ledger-document-'));
    ledger = await POSTGRES_MODE.start({ databasePrefix: 'document', server: { env: { LEDGER_PUBLIC_URL: PUBLIC_URL } } });
    server = ledger.server;
    callers = callersFor(server);
    await seedReferenceData(server, callers);
    // Issued in 2025: in force until 2030 (EC0105 certificates are valid for five years).
    valid = await certify({ ...nextPerson('BC'), fullName: 'María José Ñúñez Güemes' }, 2025);
    revoked = await certify();
    const revocation = await post(server, `/v1/certificates/${revoked.folio}/revocation`, callers.authority, { reason: 'Evidencia no atribuible', revokedAt: '2019-02-18T17:00:00Z' });
    lastWrite = (revocation.body as { position: string }).position;
  });

  afterAll(async () => {
    await ledger?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('is a one-page A4 PDF, without a token, whose QR code opens the verification page', async () => {
    const response = await document(valid.folio);
    expect(response.status).toBe(200);
    expect(response.headers['content-type']).toBe('application/pdf');
    expect(response.headers['content-disposition']).toBe(`inline; filename="certificado-${valid.folio}.pdf"`);
    const pdf = response.body as Buffer;
    const parsed = await PDFDocument.load(pdf);
    expect(parsed.getPageCount()).toBe(1);
    const { width, height } = parsed.getPage(0).getSize();
    expect([Math.round(width), Math.round(height)]).toEqual([595, 842]);
    expect(qrCodeOf(pdf, dir)).toBe(`${PUBLIC_URL}/verify/${valid.folio}`);
  });

  it('shows the holder, the standard, the dates in Spanish and the folio, and never the CURP', async () => {
    const pdf = (await document(valid.folio)).body as Buffer;
    const text = textOf(pdf, dir);
    for (const expected of ['CERTIFICADO DE COMPETENCIA LABORAL', 'María José Ñúñez Güemes', 'EC0105', '13 de noviembre de 2025', '13 de noviembre de 2030', valid.folio]) {
      expect(text).toContain(expected);
    }
    expect(text).toMatch(/Estado al imprimirse:\s+Vigente/);
    expect(text).not.toContain(valid.person.curp);
    expect(pdf.includes(Buffer.from(valid.person.curp))).toBe(false);
    // Printed twice in the same status, the same bytes.
    expect(((await document(valid.folio)).body as Buffer).equals(pdf)).toBe(true);
  });

  it('says across the page that a revoked certificate is revoked, and since when', async () => {
    const pdf = (await document(revoked.folio)).body as Buffer;
    expect(textOf(pdf, dir)).toMatch(/Estado al imprimirse:\s+Revocado el 18 de febrero de 2019/);
    // The word across the page, read in content order (its letters are drawn at an angle).
    expect(textOf(pdf, dir, '-raw')).toContain('REVOCADO');
    expect(textOf((await document(valid.folio)).body as Buffer, dir, '-raw')).not.toContain('REVOCADO');
  });

  it('answers an unknown folio 404 and a mistyped one 400, as problem+json', async () => {
    const mistyped = `${valid.folio.slice(0, -1)}${valid.folio.endsWith('0') ? '1' : '0'}`;
    const typo = await request(server.baseUrl).get(`/v1/public/certificates/${mistyped}/document`);
    expect([typo.status, typo.body.code]).toEqual([400, 'FOLIO_CHECK']);
    expect(typo.headers['content-type']).toContain('application/problem+json');
    const body = valid.folio.replace(/-/g, '').slice(0, 12) === '0'.repeat(12) ? FOLIO_ALPHABET[1].repeat(12) : '0'.repeat(12);
    const unknown = `${body.slice(0, 4)}-${body.slice(4, 8)}-${body.slice(8)}-${folioCheckSymbol(body)}`;
    const missing = await request(server.baseUrl).get(`/v1/public/certificates/${unknown}/document`);
    expect([missing.status, missing.body.code]).toEqual([404, 'CERTIFICATE_NOT_FOUND']);
    const junk = await request(server.baseUrl).get('/v1/public/certificates/%00%3Cscript%3E/document');
    expect(junk.status).toBe(400);
    const extra = await request(server.baseUrl).get(`/v1/public/certificates/${valid.folio}/document?format=docx`);
    expect(extra.status).toBe(400);
  });
});
