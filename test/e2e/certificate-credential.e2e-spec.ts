import request from 'supertest';
import { conformanceProblems, type Exchange, type OpenApiDocument, type Operation } from '../contract/support/openapi-conformance';
import { verifyCredential, verifyCredentials } from './support/credential-verifier';
import { Callers, callersFor, enrollmentBody, EVIDENCE, nextPerson, post, seedReferenceData } from './support/ledger-client';
import { POSTGRES_MODE, type LedgerUnderTest } from './support/ledger-modes';
import type { LedgerServer } from './support/ledger-server';

/**
 * GET /v1/public/certificates/{folio}/credential on the real ledger: the
 * credential is verified by an implementation the ledger shares no code with
 * (Digital Bazaar's vc, data-integrity and eddsa-jcs-2022 cryptosuite, in a
 * child process, offline), against the key the ledger publishes at
 * /v1/log/key; altering any field of it fails that verification; it says
 * revoked and expired as the registry does, and carries no personal data.
 */
const PUBLIC_URL = 'https://ledger.example.gob.mx';
const TITLE = 'Atención al ciudadano en el sector público';
const DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{3})?Z$/;

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type Credential = { [key: string]: Json } & {
  credentialStatus: { status: string; statusAsOf: string; revokedAt?: string };
  proof: { created: string; verificationMethod: string };
};

interface Answer {
  status: number;
  headers: Headers;
  text: string;
}

/** Every leaf of a JSON value, by its path. */
function leafPaths(value: Json, path: (string | number)[] = []): (string | number)[][] {
  if (Array.isArray(value)) return value.flatMap((item, index) => leafPaths(item, [...path, index]));
  if (value !== null && typeof value === 'object') return Object.entries(value).flatMap(([key, item]) => leafPaths(item, [...path, key]));
  return [path];
}

/** A copy with the leaf at `path` changed, keeping its kind (a date stays a date, one second later). */
function alteredAt(document: Json, path: (string | number)[]): Json {
  const copy = structuredClone(document);
  const parent = path.slice(0, -1).reduce<Json>((node, key) => (node as Record<string | number, Json>)[key], copy) as Record<string | number, Json>;
  const key = path[path.length - 1];
  const leaf = parent[key];
  if (typeof leaf === 'boolean') parent[key] = !leaf;
  else if (typeof leaf === 'number') parent[key] = leaf + 1;
  else if (typeof leaf === 'string' && DATE_TIME.test(leaf)) parent[key] = new Date(Date.parse(leaf) + 1000).toISOString();
  else parent[key] = `${String(leaf)}x`;
  return copy;
}

describe('a certificate as a W3C Verifiable Credential (Open Badges 3.0, eddsa-jcs-2022)', () => {
  let ledger: LedgerUnderTest;
  let server: LedgerServer;
  let callers: Callers;
  let publicKey: string;
  const exchanges: Exchange[] = [];

  const CREDENTIAL_ROUTE = '/v1/public/certificates/{folio}/credential';

  async function get(path: string): Promise<Answer> {
    const response = await fetch(`${server.baseUrl}${path}`);
    const answer = { status: response.status, headers: response.headers, text: await response.text() };
    if (/^\/v1\/public\/certificates\/[^/]+\/credential/.test(path)) {
      const contentType = response.headers.get('content-type') ?? undefined;
      const body = answer.text ? JSON.parse(answer.text) : answer.text;
      exchanges.push({ method: 'get', template: CREDENTIAL_ROUTE, status: answer.status, contentType, headers: Object.fromEntries(response.headers), body });
    }
    return answer;
  }

  /** Issues a certificate to a fresh person; the folio, the person and the position the issuance wrote. */
  async function issue(issuedAt?: string) {
    const person = nextPerson();
    const enrolled = await post(server, '/v1/enrollments', callers.registrar, enrollmentBody(person));
    expect(enrolled.status).toBe(201);
    const { processId, subjectId } = enrolled.body as { processId: string; subjectId: string };
    const evaluated = await post(server, `/v1/enrollments/${processId}/evaluations`, callers.evaluator, { result: 'competent', evidenceDigest: EVIDENCE, evaluatedAt: '2018-11-01T16:00:00Z' });
    expect(evaluated.status).toBe(201);
    const issued = await post(server, `/v1/enrollments/${processId}/certificate`, callers.certifier, issuedAt ? { issuedAt } : {});
    expect(issued.status).toBe(201);
    const { folio, position } = issued.body as { folio: string; position: string };
    return { folio, position, person, subjectId };
  }

  async function credentialOf(folio: string, minPosition: string): Promise<{ answer: Answer; credential: Credential }> {
    const answer = await get(`/v1/public/certificates/${folio}/credential?minPosition=${minPosition}`);
    expect(answer.status).toBe(200);
    return { answer, credential: JSON.parse(answer.text) as Credential };
  }

  beforeAll(async () => {
    ledger = await POSTGRES_MODE.start({ databasePrefix: 'certificate_credential', server: { env: { LEDGER_PUBLIC_URL: `${PUBLIC_URL}/` } } });
    server = ledger.server;
    callers = callersFor(server);
    await seedReferenceData(server, callers);
    // The key as the ledger publishes it: <name>+<key id>+base64(0x01 ‖ Ed25519 public key); base64 may hold '+'.
    const key = await fetch(`${server.baseUrl}/v1/log/key`).then((response) => response.text());
    const material = Buffer.from(key.trim().split('+').slice(2).join('+'), 'base64');
    expect([material.length, material[0]]).toEqual([33, 0x01]);
    publicKey = material.subarray(1).toString('base64url');
  });

  afterAll(async () => {
    await ledger?.stop();
  });

  it('verifies with an independent implementation against the published key, and says what the certificate is', async () => {
    const { folio, position, person, subjectId } = await issue();
    const { answer, credential } = await credentialOf(folio, position);
    expect(answer.headers.get('content-type')).toBe('application/vc');
    expect(answer.headers.get('cache-control')).toBe('no-cache');
    expect(answer.headers.get('ledger-position')).toMatch(/^\d+$/);
    expect(answer.headers.get('etag')).toEqual(expect.any(String));

    const verdict = await verifyCredential(credential, { publicKey });
    expect(verdict).toEqual({ verified: true, proofVerified: true, status: { verified: true }, issuerIsKey: true, jsonLd: [], errors: [] });

    const registry = JSON.parse((await get(`/v1/public/certificates/${folio}`)).text) as { issuedAt: string; validUntil: string; holderName: string };
    const certificateUrl = `${PUBLIC_URL}/v1/public/certificates/${folio}`;
    expect(credential).toMatchObject({
      id: `${certificateUrl}/credential`,
      type: ['VerifiableCredential', 'OpenBadgeCredential'],
      issuer: { type: ['Profile'], name: 'ECE de Baja California', otherIdentifier: [{ identifier: 'ECE322-18' }] },
      validFrom: registry.issuedAt,
      validUntil: registry.validUntil,
      credentialSubject: {
        type: ['AchievementSubject'],
        identifier: [{ type: 'IdentityObject', identityType: 'name', hashed: false, identityHash: person.fullName }],
        achievement: { type: ['Achievement'], name: TITLE, humanCode: 'EC0105', criteria: { narrative: expect.stringContaining('EC0105') } },
      },
      credentialStatus: { id: certificateUrl, type: 'LedgerCertificateStatus', status: 'valid' },
      evidence: [{ id: `${certificateUrl}/proof`, type: ['Evidence'] }],
      proof: { type: 'DataIntegrityProof', cryptosuite: 'eddsa-jcs-2022', proofPurpose: 'assertionMethod' },
    });
    expect(credential.proof.created).toBe(credential.credentialStatus.statusAsOf);
    for (const personal of [person.curp, subjectId, 'subjectId', 'curp']) expect(answer.text).not.toContain(personal);
  });

  it('fails verification when any field of the signed credential is altered, added or removed', async () => {
    const { folio, position } = await issue();
    const { credential } = await credentialOf(folio, position);
    const paths = leafPaths(credential);
    const { credentialStatus: _removed, ...withoutStatus } = credential;
    const altered = [...paths.map((path) => alteredAt(credential, path)), { ...credential, awardedBy: 'someone else' }, withoutStatus];
    const verdicts = await verifyCredentials(altered, { publicKey });
    const passed = verdicts.flatMap((verdict, index) => (verdict.verified || verdict.proofVerified ? [index < paths.length ? paths[index].join('.') : `case ${index}`] : []));
    expect(paths.length).toBeGreaterThan(40);
    expect(passed).toEqual([]);
  });

  it('says revoked once the certificate is revoked, still signed by the ledger', async () => {
    const { folio } = await issue();
    const revoked = await post(server, `/v1/certificates/${folio}/revocation`, callers.authority, { reason: 'Evidencia apócrifa' });
    expect(revoked.status).toBe(201);
    const { credential } = await credentialOf(folio, (revoked.body as { position: string }).position);
    expect(credential.credentialStatus).toMatchObject({ status: 'revoked', revokedAt: expect.stringMatching(DATE_TIME) });
    const verdict = await verifyCredential(credential, { publicKey });
    expect(verdict).toMatchObject({ verified: false, proofVerified: true, status: { verified: false }, issuerIsKey: true });
    expect(verdict.errors.join(' ')).toContain('revoked');
  });

  it('says expired past validUntil, and an independent verifier refuses it as such', async () => {
    const { folio, position } = await issue('2018-11-13T18:00:00Z');
    const { credential } = await credentialOf(folio, position);
    expect(credential).toMatchObject({ validUntil: '2023-11-13T18:00:00.000Z', credentialStatus: { status: 'expired' } });
    const verdict = await verifyCredential(credential, { publicKey });
    expect(verdict).toMatchObject({ verified: false, proofVerified: false });
    expect(verdict.errors.join(' ')).toContain('validUntil');
    // The same bytes, verified as of a day it was in force: the signature and the key hold; the status still says expired.
    expect(await verifyCredential(credential, { publicKey, now: '2019-06-01T00:00:00Z' })).toMatchObject({ proofVerified: true, status: { verified: false } });
  });

  it('gives the same bytes for the same certificate within a second, and revalidates by ETag', async () => {
    const { folio, position } = await issue();
    for (let attempt = 0; attempt < 5; attempt += 1) {
      const first = await credentialOf(folio, position);
      const second = await credentialOf(folio, position);
      if (first.credential.credentialStatus.statusAsOf !== second.credential.credentialStatus.statusAsOf) continue;
      expect(second.answer.text).toBe(first.answer.text);
      const etag = first.answer.headers.get('etag') as string;
      expect(second.answer.headers.get('etag')).toBe(etag);
      // Not through fetch: a conditional fetch() adds Cache-Control: no-cache, which asks the server for a full answer.
      const conditional = await request(server.baseUrl).get(`/v1/public/certificates/${folio}/credential`).set('If-None-Match', etag);
      // 304, unless the second turned in between: then other bytes, and another ETag.
      if (conditional.status === 200) expect(conditional.headers.etag).not.toBe(etag);
      else expect(conditional.status).toBe(304);
      return;
    }
    throw new Error('no two answers within the same second in five tries');
  });

  it('answers an unknown folio 404 and a malformed one 400, as problem+json', async () => {
    const unknown = await get('/v1/public/certificates/0000-0000-0000-0/credential');
    expect(unknown.status).toBe(404);
    expect(unknown.headers.get('content-type')).toContain('application/problem+json');
    expect(JSON.parse(unknown.text)).toMatchObject({ status: 404, code: 'CERTIFICATE_NOT_FOUND' });
    expect(unknown.headers.get('ledger-position')).toMatch(/^\d+$/);
    for (const [folio, code] of [
      ['0000-0000-0000-1', 'FOLIO_CHECK'],
      ['not-a-folio', 'FOLIO_FORMAT'],
    ]) {
      const refused = await get(`/v1/public/certificates/${folio}/credential`);
      expect(refused.status).toBe(400);
      expect(refused.headers.get('content-type')).toContain('application/problem+json');
      expect(JSON.parse(refused.text)).toMatchObject({ status: 400, code });
    }
    const unknownParameter = await get('/v1/public/certificates/0000-0000-0000-0/credential?format=pdf');
    expect(unknownParameter.status).toBe(400);
  });

  it('answers as its OpenAPI description says, which tells how to get the key', async () => {
    const document = (await fetch(`${server.baseUrl}/docs-json`).then((response) => response.json())) as OpenApiDocument;
    const operation = document.paths[CREDENTIAL_ROUTE].get as Operation & { description?: string };
    expect(operation.description).toContain('/v1/log/key');
    expect(operation.description).toContain('did:key');
    expect(operation.responses['200'].headers?.['Ledger-Position']?.required).toBe(true);
    const { folio, position } = await issue();
    exchanges.length = 0;
    await credentialOf(folio, position);
    await get('/v1/public/certificates/0000-0000-0000-0/credential');
    await get('/v1/public/certificates/0000-0000-0000-1/credential');
    expect(exchanges.map((exchange) => exchange.status)).toEqual([200, 404, 400]);
    expect(exchanges.flatMap((exchange) => conformanceProblems(document, exchange))).toEqual([]);
  });
});
