import request from 'supertest';
import { exchange } from './support/raw-http';
import { Callers, callersFor, competentProcess, post, seedReferenceData } from '../e2e/support/ledger-client';
import { POSTGRES_MODE, type LedgerUnderTest } from '../e2e/support/ledger-modes';
import type { LedgerServer } from '../e2e/support/ledger-server';

interface FieldProblem {
  field: string;
  code: string;
}

/**
 * What the OpenAPI fuzzer (openapi.fuzz.e2e-spec.ts) found, each as the
 * request it sent, pinned down on its own: a parameter named `prototype`
 * dropped in silence, query parameters of commands ignored, a path the
 * router cannot decode answered without a stable code, a cursor with
 * junk in it read as if clean, the answer to a request Node cannot parse
 * reset away while the client was still sending its body, and a batch with
 * an issuedAt that is no date answered 200 with every item rejected.
 */
describe('requests the OpenAPI fuzzer found mishandled', () => {
  let ledger: LedgerUnderTest;
  let server: LedgerServer;
  let callers: Callers;

  const get = (path: string, authorization?: string) => {
    const call = request(server.baseUrl).get(path);
    return authorization ? call.set('Authorization', authorization) : call;
  };

  beforeAll(async () => {
    ledger = await POSTGRES_MODE.start({ databasePrefix: 'fuzz_findings' });
    server = ledger.server;
    callers = callersFor(server);
    await seedReferenceData(server, callers);
  });

  afterAll(async () => {
    await ledger?.stop();
  });

  it('refuses a query parameter named prototype as unknown (Nest deleted it before validation)', async () => {
    for (const path of ['/v1/audit/events?prototype=1', '/v1/certificates?limit=5&prototype=x']) {
      const response = await get(path, callers.comptroller);
      expect({ path, status: response.status, code: response.body.code }).toEqual({ path, status: 400, code: 'VALIDATION_FAILED' });
      expect(response.body.errors).toEqual([expect.objectContaining({ field: 'prototype', code: 'UNKNOWN_FIELD' })]);
    }
  });

  it('refuses query parameters on commands, naming each, and writes nothing (they were ignored and the command run without them)', async () => {
    const processId = await competentProcess(server, callers);
    const head = await ledger.store.headPosition();
    const standard = { code: 'EC0301', version: '01', title: 'Diseño de cursos', validityYears: 3 };
    const refused = [
      await post(server, '/v1/standards?dryRun=true', callers.authority, standard),
      await post(server, `/v1/enrollments/${processId}/certificate?issuedAt=2018-11-13T18:00:00Z`, callers.certifier, {}),
      await post(server, '/v1/standards?=x', callers.authority, standard),
    ];
    expect(refused.map((response) => [response.status, response.body.code, (response.body.errors as FieldProblem[]).map((e) => [e.field, e.code])])).toEqual([
      [400, 'VALIDATION_FAILED', [['dryRun', 'UNKNOWN_FIELD']]],
      [400, 'VALIDATION_FAILED', [['issuedAt', 'UNKNOWN_FIELD']]],
      [400, 'VALIDATION_FAILED', [['', 'UNKNOWN_FIELD']]],
    ]);
    expect(await ledger.store.headPosition()).toBe(head);
    // The same commands without the query string go through.
    expect((await post(server, '/v1/standards', callers.authority, standard)).status).toBe(201);
    expect((await post(server, `/v1/enrollments/${processId}/certificate`, callers.certifier, { issuedAt: '2018-11-13T18:00:00Z' })).status).toBe(201);
  });

  it('answers a path whose percent-encoding is not UTF-8 as MALFORMED_PATH problem+json, without repeating it', async () => {
    const head = await ledger.store.headPosition();
    const answers = [
      await get('/v1/certificates/%0', callers.comptroller),
      await get('/v1/public/certificates/%ED%A0%80'),
      await post(server, '/v1/enrollments/%FF/trainings', callers.registrar, { trainerId: 't-1', hours: 2, completedAt: '2018-10-20T18:00:00Z' }),
    ];
    for (const answer of answers) {
      expect({ status: answer.status, code: answer.body.code }).toEqual({ status: 400, code: 'MALFORMED_PATH' });
      expect(answer.headers['content-type']).toContain('application/problem+json');
      expect(answer.body.detail).not.toMatch(/%/);
    }
    expect(await ledger.store.headPosition()).toBe(head);
  });

  it('refuses a cursor with anything added to it, which base64 decoding skipped', async () => {
    // Read once the audit trail holds the reference data: an empty first page has no cursor to tamper with.
    const first = await get(`/v1/audit/events?limit=1&minPosition=${await ledger.store.headPosition()}`, callers.comptroller);
    const cursor = first.body.nextCursor as string;
    expect((await get(`/v1/audit/events?limit=1&cursor=${cursor}`, callers.comptroller)).status).toBe(200);
    for (const junk of [`${cursor}%0A`, `${cursor}%00`, `${cursor.slice(0, 3)}!${cursor.slice(3)}`, `${cursor}%3D%3D`]) {
      const response = await get(`/v1/audit/events?limit=1&cursor=${junk}`, callers.comptroller);
      expect({ junk, status: response.status, code: response.body.code }).toEqual({ junk, status: 400, code: 'INVALID_CURSOR' });
      expect(response.body.errors).toEqual([expect.objectContaining({ field: 'cursor' })]);
    }
  });

  it('answers every request Node cannot parse, also while the client is still sending a large body (the connection was reset under the answer)', async () => {
    const statuses = new Map<string, number>();
    for (let round = 0; round < 15; round += 1) {
      const answers = await Promise.all(
        ['X-Bad: \u0000', `X-Big: ${'a'.repeat(17_000)}`, 'X-Bad: \u0001', `X-Big: ${'b'.repeat(17_000)}`].map((header) => {
          const [name, value] = header.split(': ');
          const body = Buffer.from(JSON.stringify({ title: 'a'.repeat(2_000_000) }));
          const sent = { method: 'POST', target: '/v1/standards', headers: [['Content-Type', 'application/json'], [name, value]] as const, body, expectContinue: false };
          return exchange(server.port, sent, 10_000).then(
            (answer) => `${answer.status} ${answer.headers['content-type']}`,
            (error: Error) => error.message,
          );
        }),
      );
      for (const answer of answers) statuses.set(answer, (statuses.get(answer) ?? 0) + 1);
    }
    expect(Object.fromEntries(statuses)).toEqual({ '400 application/problem+json': 30, '431 application/problem+json': 30 });
  });

  it('refuses a batch whose issuedAt is no real instant as a whole, naming issuedAt (it answered 200 with every item rejected)', async () => {
    const processId = await competentProcess(server, callers);
    const head = await ledger.store.headPosition();
    for (const issuedAt of ['3000-01-01T00:00:00Z', '1899-12-31T23:59:59Z', '2019-02-29T00:00:00Z', '2018-11-13T24:00:00Z']) {
      const response = await post(server, '/v1/certificate-batches', callers.certifier, { processIds: [processId], issuedAt });
      expect({ issuedAt, status: response.status, code: response.body.code }).toEqual({ issuedAt, status: 400, code: 'INVALID_DATE' });
      expect(response.body.errors).toEqual([expect.objectContaining({ field: 'issuedAt' })]);
    }
    expect(await ledger.store.headPosition()).toBe(head);
    const issued = await post(server, '/v1/certificate-batches', callers.certifier, { processIds: [processId], issuedAt: '2018-11-13T18:00:00+14:00' });
    expect({ status: issued.status, item: issued.body.results[0].status }).toEqual({ status: 200, item: 'issued' });
  });
});
