import request from 'supertest';
import type { EventStore } from '@ledger/event-store';
import { type Callers, competentProcess, enrollmentBody, nextPerson, post, PROVIDER_ID, seedReferenceData } from '../../e2e/support/ledger-client';
import type { LedgerServer } from '../../e2e/support/ledger-server';
import type { FixturePools } from './fuzz-session';

async function expectStatus(status: number, pending: Promise<request.Response> | request.Test, what: string): Promise<request.Response> {
  const response = await pending;
  if (response.status !== status) throw new Error(`${what}: ${response.status} ${JSON.stringify(response.body)}`);
  return response;
}

/**
 * The reference data (ledger-client's: EC0105, the providers and a centre, an
 * evaluator), a second evaluator, and processes at every step: three judged
 * competent, two of them certified and one of those revoked, and one enrolled
 * only. Their ids go into the pools the generated requests pick from, so
 * that valid requests reach the rules behind the edge, and can succeed.
 */
export async function seedFuzzFixtures(server: LedgerServer, callers: Callers, store: EventStore, pools: FixturePools): Promise<void> {
  await seedReferenceData(server, callers);
  const evaluator = { evaluatorId: 'eval-0099', ...nextPerson('QR'), providerId: PROVIDER_ID, standards: ['EC0105'], credentialFolio: 'CED-2018-000999', validFrom: '2018-01-01', validUntil: '2030-12-31' };
  await expectStatus(201, post(server, '/v1/evaluators', callers.certifier, evaluator), 'second evaluator');
  pools.add('evaluatorId', 'eval-0099');
  for (let index = 0; index < 3; index += 1) pools.add('processId', await competentProcess(server, callers));
  for (const index of [0, 1]) {
    const issued = await expectStatus(201, post(server, `/v1/enrollments/${pools.pick('processId', index)}/certificate`, callers.certifier, { issuedAt: '2018-11-13T18:00:00Z' }), 'issue');
    pools.add('folio', issued.body.folio);
  }
  await expectStatus(201, post(server, `/v1/certificates/${pools.pick('folio', 1)}/revocation`, callers.certifier, { reason: 'Evidencia alterada' }), 'revoke');
  pools.learnFrom((await expectStatus(201, post(server, '/v1/enrollments', callers.registrar, enrollmentBody()), 'enroll')).body);
  const head = await store.headPosition();
  const enrollment = request(server.baseUrl).get(`/v1/enrollments/${pools.pick('processId', 0)}?minPosition=${head}`).set('Authorization', callers.comptroller);
  pools.add('subjectId', (await expectStatus(200, enrollment, 'read the process')).body.subjectId);
}
