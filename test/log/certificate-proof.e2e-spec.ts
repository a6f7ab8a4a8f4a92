import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { generateNoteKey, parseVerifierKey, verifierKeyOf, type NoteVerifierKey, CertificateProofError, verifyCertificateProof, type CertificateProofBundle } from '@ledger/verifiable-log';
import { callersFor, enrollmentBody, EVIDENCE, nextPerson, post, seedReferenceData, type Callers } from '../e2e/support/ledger-client';
import { eventStoreDbMode, POSTGRES_MODE, type LedgerMode, type LedgerUnderTest } from '../e2e/support/ledger-modes';
import { runCli } from '../e2e/support/ledger-server';
import { eventually } from '../support/eventually';

/**
 * A certificate that proves itself: its proof bundle holds its history's log
 * entries with inclusion proofs in a signed checkpoint and a signed status,
 * and verifies with the bundle and the log key alone (offline, in the CLI),
 * while any byte altered fails it. A revocation is signed into the next
 * bundle, and the earlier one is shown as older than a later checkpoint.
 */
describe.each<LedgerMode>([POSTGRES_MODE, eventStoreDbMode('DATABASE_URL')])('a certificate’s proof bundle, $name', (mode) => {
  let ledger: LedgerUnderTest;
  let callers: Callers;
  let keyText: string;
  let key: NoteVerifierKey;
  let files: string;
  const esdb = mode !== POSTGRES_MODE;

  const get = (path: string) => fetch(`${ledger.server.baseUrl}${path}`);

  async function issue(): Promise<{ folio: string; position: string; person: { curp: string; fullName: string }; subjectId: string }> {
    const person = nextPerson();
    const enrolled = await post(ledger.server, '/v1/enrollments', callers.registrar, enrollmentBody(person));
    expect(enrolled.status).toBe(201);
    const { processId, subjectId } = enrolled.body as { processId: string; subjectId: string };
    // A judgment not yet competent first: the bundle proves the judgment the certificate was issued on.
    expect((await post(ledger.server, `/v1/enrollments/${processId}/evaluations`, callers.evaluator, { result: 'not_yet_competent', evidenceDigest: EVIDENCE, evaluatedAt: '2018-10-01T16:00:00Z' })).status).toBe(201);
    expect((await post(ledger.server, `/v1/enrollments/${processId}/evaluations`, callers.evaluator, { result: 'competent', evidenceDigest: EVIDENCE, evaluatedAt: '2018-11-01T16:00:00Z' })).status).toBe(201);
    const issued = await post(ledger.server, `/v1/enrollments/${processId}/certificate`, callers.certifier, {});
    expect(issued.status).toBe(201);
    const { folio, position } = issued.body as { folio: string; position: string };
    return { folio, position, person, subjectId };
  }

  /** The bundle once a checkpoint covers what it must (404 PROOF_NOT_YET_AVAILABLE until then). */
  async function bundleOf(folio: string, written: string, until: (bundle: CertificateProofBundle) => boolean = () => true): Promise<{ bytes: Buffer; bundle: CertificateProofBundle }> {
    return eventually(async () => {
      const response = await get(`/v1/public/certificates/${folio}/proof?minPosition=${written}`);
      if (response.status === 404) {
        const problem = (await response.json()) as { code: string };
        expect(problem.code).toBe('PROOF_NOT_YET_AVAILABLE');
        expect(response.headers.get('retry-after')).toBe('1');
        return undefined;
      }
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toMatch(/^application\/json/);
      const bytes = Buffer.from(await response.arrayBuffer());
      const bundle = JSON.parse(bytes.toString('utf8')) as CertificateProofBundle;
      return until(bundle) ? { bytes, bundle } : undefined;
    });
  }

  const verifyFile = async (bytes: Buffer, extra: string[] = []) => {
    const file = join(files, `bundle-${Math.random().toString(36).slice(2)}.json`);
    writeFileSync(file, bytes);
    // No database, no network: the CLI gets no DATABASE_URL and nothing to reach.
    return runCli(['verify-certificate', file, '--key', keyText, ...extra], { DATABASE_URL: '', EVENTSTORE_CONNECTION_STRING: '' });
  };

  beforeAll(async () => {
    ledger = await mode.start({ databasePrefix: 'certificate_proof', server: { env: { LEDGER_CHECKPOINT_INTERVAL: '1' } } });
    callers = callersFor(ledger.server);
    await seedReferenceData(ledger.server, callers);
    keyText = (await (await get('/v1/log/key')).text()).trim();
    key = parseVerifierKey(keyText);
    files = mkdtempSync(join(tmpdir(), 'ledger-proof-'));
  });

  afterAll(async () => {
    await ledger?.stop();
    if (files) rmSync(files, { recursive: true, force: true });
  });

  it('proves the issuance, the enrollment, the competent judgment and the evaluator’s accreditation, offline, with no personal data', async () => {
    const { folio, position, person, subjectId } = await issue();
    const { bytes, bundle } = await bundleOf(folio, position);
    const verified = verifyCertificateProof(bytes, { origin: key.name, verifiers: [key] });
    expect(verified).toMatchObject({ folio, status: 'valid', standardCode: 'EC0105', providerId: 'ECE322-18', evaluatorId: 'eval-0007', credentialFolio: 'CED-2018-000123' });
    expect(verified.entries.map((entry) => [entry.role, entry.type])).toEqual([
      ['issuance', 'CertificateIssued'],
      ['enrollment', 'CandidateEnrolled'],
      ['judgment', 'EvaluationRecorded'],
      ['accreditation', 'EvaluatorAccredited'],
    ]);
    expect(verified.entries[2].data.result).toBe('competent');
    // Each entry is the event the store holds at its position, byte for byte as the comptroller's entries route gives it.
    for (const entry of bundle.entries) {
      const [event] = await ledger.store.readAll({ fromPosition: BigInt(entry.position), maxCount: 1 });
      expect([event.position.toString(), event.type]).toEqual([entry.position, entry.type]);
      const served = await fetch(`${ledger.server.baseUrl}/v1/log/entries/${entry.position}`, { headers: { authorization: callers.comptroller } });
      expect(Buffer.from(await served.arrayBuffer()).toString('base64')).toBe(entry.entry);
    }
    const text = Buffer.concat([bytes, ...bundle.entries.map((entry) => Buffer.from(entry.entry, 'base64'))]).toString('utf8');
    expect(text).not.toContain(person.curp);
    expect(text).not.toContain(person.fullName);
    expect(text).toContain(subjectId); // the opaque id the certification stream names people by

    const cli = await verifyFile(bytes);
    expect(cli.stderr).toBe('');
    expect(cli.code).toBe(0);
    expect(cli.stdout).toContain(`certificate ${folio} is in the log: 4 entries proven`);
    expect(cli.stdout).toMatch(/judged competent by evaluator eval-0007 at position \d+, with credential CED-2018-000123/);
    expect(cli.stdout).toMatch(/^status: valid as of \S+ \(tree size \d+\)$/m);
  });

  it('signs a revocation into the next bundle; the earlier one is shown as older than a later checkpoint', async () => {
    const { folio, position } = await issue();
    const before = await bundleOf(folio, position);
    const revoked = await post(ledger.server, `/v1/certificates/${folio}/revocation`, callers.authority, { reason: 'Evidencia apócrifa' });
    expect(revoked.status).toBe(201);
    const after = await bundleOf(folio, (revoked.body as { position: string }).position, (bundle) => bundle.entries.length === 5);
    const verified = verifyCertificateProof(after.bytes, { origin: key.name, verifiers: [key] });
    expect(verified.status).toBe('revoked');
    expect(verified.entries[4]).toMatchObject({ role: 'revocation', type: 'CertificateRevoked' });
    expect(verified.checkpoint.treeSize).toBeGreaterThan(verifyCertificateProof(before.bytes, { origin: key.name, verifiers: [key] }).checkpoint.treeSize);

    const revokedCli = await verifyFile(after.bytes);
    expect(revokedCli.code).toBe(2);
    expect(revokedCli.stdout).toMatch(/^status: revoked as of /m);

    // The earlier bundle is still genuine, but the auditor holding the later checkpoint is told its status is older.
    const checkpointFile = join(files, 'later-checkpoint');
    writeFileSync(checkpointFile, after.bundle.checkpoint);
    const older = await verifyFile(before.bytes, ['--checkpoint', checkpointFile]);
    expect(older.code).toBe(0);
    expect(older.stdout).toMatch(/^status: valid as of /m);
    expect(older.stdout).toMatch(/this status is older than the checkpoint you hold \(tree size \d+ > \d+\)/);
  });

  // The bundle's format is the same whichever store holds the events: its bytes are checked on one.
  if (!esdb) it('fails when any byte of the bundle is altered, added or removed', async () => {
    const { folio, position } = await issue();
    const { bytes } = await bundleOf(folio, position);
    const trust = { origin: key.name, verifiers: [key] };
    expect(() => verifyCertificateProof(bytes, trust)).not.toThrow();
    const accepted: number[] = [];
    for (let at = 0; at < bytes.length; at += 1) {
      // Every byte flipped; a byte removed and one inserted at every 7th place (each costs a whole verification).
      const variants = [flipped(bytes, at), ...(at % 7 === 0 ? [Buffer.concat([bytes.subarray(0, at), bytes.subarray(at + 1)]), Buffer.concat([bytes.subarray(0, at), Buffer.from(' '), bytes.subarray(at)])] : [])];
      for (const altered of variants) {
        try {
          verifyCertificateProof(altered, trust);
          accepted.push(at);
        } catch (error) {
          if (!(error instanceof CertificateProofError)) throw error;
        }
      }
    }
    expect({ bytes: bytes.length, accepted }).toEqual({ bytes: bytes.length, accepted: [] });
    // Another log's key proves nothing: the bundle is the ledger's only.
    const other = verifierKeyOf(generateNoteKey(key.name));
    expect(() => verifyCertificateProof(bytes, { origin: key.name, verifiers: [other] })).toThrow(CertificateProofError);
    const cli = await verifyFile(flipped(bytes, Math.floor(bytes.length / 2)));
    expect(cli.code).toBe(1);
    expect(cli.stderr).toMatch(/does not prove its certificate: [A-Z_]+: /);
  });

  it('answers an unknown folio 404, a mistyped or malformed one 400, as problem+json, and refuses a query string', async () => {
    const unknown = await get('/v1/public/certificates/0000-0000-0000-0/proof');
    expect(unknown.status).toBe(404);
    expect(unknown.headers.get('content-type')).toContain('application/problem+json');
    expect(await unknown.json()).toMatchObject({ status: 404, code: 'CERTIFICATE_NOT_FOUND' });
    for (const [folio, code] of [
      ['0000-0000-0000-1', 'FOLIO_CHECK'],
      ['not-a-folio', 'FOLIO_FORMAT'],
      [encodeURIComponent('\u0000x'), 'FOLIO_FORMAT'],
    ]) {
      const refused = await get(`/v1/public/certificates/${folio}/proof`);
      expect(refused.status).toBe(400);
      expect(await refused.json()).toMatchObject({ status: 400, code });
    }
    expect((await get('/v1/public/certificates/0000-0000-0000-0/proof?format=pdf')).status).toBe(400);
  });
});

function flipped(bytes: Buffer, at: number): Buffer {
  const copy = Buffer.from(bytes);
  copy[at] ^= 0x01;
  return copy;
}
