import request from 'supertest';
import { callersFor, EVIDENCE, enrollmentBody, nextPerson, OTHER_PROVIDER_ID, post, PROVIDER_ID, seedReferenceData, type Callers } from './support/ledger-client';
import { POSTGRES_MODE, type LedgerUnderTest } from './support/ledger-modes';
import type { LedgerServer } from './support/ledger-server';
import { signToken } from './support/tokens';

/**
 * An evaluator's credential ("cédula") belongs to the provider that issued
 * it. Another provider may accredit the same person under a credential of
 * its own, but never takes over, revives or overwrites the first; a judgment
 * counts only under a credential of the process's provider, in force on the
 * judgment's date, with the evaluator acting for that provider.
 */
describe('evaluator credentials have owners and a start', () => {
  let ledger: LedgerUnderTest;
  let server: LedgerServer;
  let callers: Callers;
  const evaluatorId = 'eval-shared-1';
  const evaluatorPerson = nextPerson('JC');
  const evaluatorFor = (org: string) => `Bearer ${signToken(server.secrets.tokenKey, { sub: evaluatorId, role: 'evaluator', org })}`;
  const judge = (processId: string, token: string, evaluatedAt = '2019-06-01T16:00:00Z') =>
    post(server, `/v1/enrollments/${processId}/evaluations`, token, { result: 'competent', evidenceDigest: EVIDENCE, evaluatedAt });
  const enroll = async (providerId: string, registrar: string) => {
    const response = await post(server, '/v1/enrollments', registrar, enrollmentBody(nextPerson(), { providerId, enrolledAt: '2019-05-01T15:00:00Z' }));
    expect(response.status).toBe(201);
    return response.body.processId as string;
  };
  /** As of the last command of the test: read-your-writes. */
  let written = '0';
  const standingOn = async (on: string) => {
    const response = await request(server.baseUrl)
      .get(`/v1/evaluators/${evaluatorId}/accreditations`)
      .query({ standard: 'EC0105', on, minPosition: written })
      .set('Authorization', callers.comptroller);
    expect(response.status).toBe(200);
    return response.body;
  };

  beforeAll(async () => {
    ledger = await POSTGRES_MODE.start({ databasePrefix: 'credentials' });
    server = ledger.server;
    callers = callersFor(server);
    await seedReferenceData(server, callers);
    const accredited = await post(server, '/v1/evaluators', callers.certifier, {
      evaluatorId, ...evaluatorPerson, providerId: PROVIDER_ID, standards: ['EC0105'], credentialFolio: 'CED-A-1', validFrom: '2018-01-01', validUntil: '2030-12-31',
    });
    expect(accredited.status).toBe(201);
  });

  afterAll(async () => {
    await ledger?.stop();
  });

  it("lets another provider accredit the same person under its own credential, and never takes over the first", async () => {
    const takeover = await post(server, '/v1/evaluators', callers.otherCertifier, {
      evaluatorId, ...evaluatorPerson, providerId: OTHER_PROVIDER_ID, standards: ['EC0105'], credentialFolio: 'CED-B-1', validFrom: '2020-01-01', validUntil: '2030-12-31',
    });
    expect(takeover.status).toBe(201);
    written = takeover.body.position;
    const someoneElse = await post(server, '/v1/evaluators', callers.otherCertifier, {
      evaluatorId, ...nextPerson('JC'), providerId: OTHER_PROVIDER_ID, standards: ['EC0105'], credentialFolio: 'CED-B-2', validUntil: '2030-12-31',
    });
    expect(someoneElse.status).toBe(409);
    expect(someoneElse.body.code).toBe('EVALUATOR_SUBJECT_MISMATCH');

    // Each date is answered with what governed it: before the second provider's credential, only the first's.
    const before = await standingOn('2019-03-01');
    expect(before).toMatchObject({ accredited: true, accreditation: { providerId: PROVIDER_ID, credentialFolio: 'CED-A-1', validFrom: '2018-01-01' } });
    expect(before.credentials).toEqual([
      expect.objectContaining({ providerId: PROVIDER_ID, credentialFolio: 'CED-A-1', inForce: true }),
      expect.objectContaining({ providerId: OTHER_PROVIDER_ID, credentialFolio: 'CED-B-1', inForce: false }),
    ]);
    const after = await standingOn('2021-03-01');
    expect(after.credentials.map((credential: { providerId: string; inForce: boolean }) => [credential.providerId, credential.inForce])).toEqual([
      [PROVIDER_ID, true],
      [OTHER_PROVIDER_ID, true],
    ]);
  });

  it("lets the first provider revoke its own credential, which another provider's credential does not revive for its processes", async () => {
    const revoked = await post(server, `/v1/evaluators/${evaluatorId}/revocations`, callers.certifier, { standardCode: 'EC0105', reason: 'Evidencia fabricada' });
    expect(revoked.status).toBe(201);
    written = revoked.body.position;
    const ownProcess = await enroll(PROVIDER_ID, callers.registrar);
    const refused = await judge(ownProcess, evaluatorFor(PROVIDER_ID));
    expect(refused.status).toBe(422);
    expect(refused.body).toMatchObject({ code: 'EVALUATOR_NOT_ACCREDITED' });
    // Acting for the other provider, whose credential is in force, is no way into the first provider's process.
    const borrowed = await judge(ownProcess, evaluatorFor(OTHER_PROVIDER_ID));
    expect(borrowed.status).toBe(403);
    expect(borrowed.body.code).toBe('NOT_ACTING_FOR_PROVIDER');
    // The other provider's own processes are judged under its own credential.
    const otherRegistrar = `Bearer ${signToken(server.secrets.tokenKey, { sub: 'registrar-oc', role: 'registrar', org: OTHER_PROVIDER_ID })}`;
    const othersProcess = await enroll(OTHER_PROVIDER_ID, otherRegistrar);
    expect((await judge(othersProcess, evaluatorFor(OTHER_PROVIDER_ID), '2021-06-01T16:00:00Z')).status).toBe(201);
    // The revocation shows on the first provider's credential only.
    const now = await standingOn(new Date().toISOString());
    expect(now.credentials).toEqual([
      expect.objectContaining({ providerId: PROVIDER_ID, inForce: false, revocationReason: 'Evidencia fabricada' }),
      expect.objectContaining({ providerId: OTHER_PROVIDER_ID, inForce: true, revokedAt: null }),
    ]);
  });

  it('refuses a judgment dated before the credential starts: one recorded today does not cover last year', async () => {
    const lateEvaluator = 'eval-recorded-today';
    const accredited = await post(server, '/v1/evaluators', callers.certifier, {
      evaluatorId: lateEvaluator, ...nextPerson('SL'), providerId: PROVIDER_ID, standards: ['EC0105'], credentialFolio: 'CED-LATE', validUntil: '2035-12-31',
    });
    expect(accredited.status).toBe(201);
    const processId = await enroll(PROVIDER_ID, callers.registrar);
    const token = `Bearer ${signToken(server.secrets.tokenKey, { sub: lateEvaluator, role: 'evaluator', org: PROVIDER_ID })}`;
    const lastYear = `${new Date().getUTCFullYear() - 1}-06-01T16:00:00Z`;
    const refused = await judge(processId, token, lastYear);
    expect(refused.status).toBe(422);
    expect(refused.body).toMatchObject({ code: 'EVALUATOR_NOT_ACCREDITED' });
    expect(refused.body.detail).toMatch(/no credential of the provider in force/);
    expect((await judge(processId, token, new Date().toISOString())).status).toBe(201);
  });

  it("refuses a judgment from an evaluator whose token acts for another organization than the process's provider", async () => {
    const processId = await enroll(PROVIDER_ID, callers.registrar);
    const response = await judge(processId, `Bearer ${signToken(server.secrets.tokenKey, { sub: 'eval-0007', role: 'evaluator', org: 'SOME-OTHER-ORG' })}`);
    expect(response.status).toBe(403);
    expect(response.body.code).toBe('NOT_ACTING_FOR_PROVIDER');
  });
});
