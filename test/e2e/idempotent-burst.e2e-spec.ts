import request from 'supertest';
import { callersFor, enrollmentBody, nextPerson, post, seedReferenceData, type Callers } from './support/ledger-client';
import { POSTGRES_MODE, type LedgerUnderTest } from './support/ledger-modes';
import type { LedgerServer } from './support/ledger-server';

jest.setTimeout(180_000);

/** More keyed commands at once than the ledger's pool has connections (30). */
const BURST = 64;

/**
 * A burst of enrollments, each with its own Idempotency-Key, all at once.
 * Each keyed command holds a connection of the ledger's pool in a
 * transaction for its whole run, and seals the new person's data through
 * the personal-data vault meanwhile: when the vault's key store shared that
 * pool, 30 such commands each held a connection and waited for a second one,
 * and the ledger answered nothing again, /health included. Every command
 * must be answered, and every acknowledged one must be there.
 */
describe('a burst of keyed commands, more than the pool has connections', () => {
  let ledger: LedgerUnderTest;
  let server: LedgerServer;
  let callers: Callers;

  beforeAll(async () => {
    ledger = await POSTGRES_MODE.start({ databasePrefix: 'idempotent_burst' });
    server = ledger.server;
    callers = callersFor(server);
    await seedReferenceData(server, callers);
  });

  afterAll(async () => {
    await ledger?.stop();
  });

  it('answers every one, each 201 with its own process, and the ledger stays healthy', async () => {
    const answers = await Promise.all(
      Array.from({ length: BURST }, (_, index) =>
        post(server, '/v1/enrollments', callers.registrar, enrollmentBody(nextPerson('QR'), { jurisdiction: { state: 'QR', municipality: 'Cancún' } }), {
          'Idempotency-Key': `burst-${process.pid}-${index}`,
        }),
      ),
    );
    expect(answers.map((answer) => answer.status)).toEqual(Array.from({ length: BURST }, () => 201));
    const processes = new Set(answers.map((answer) => (answer.body as { processId: string }).processId));
    expect(processes.size).toBe(BURST);
    expect((await request(server.baseUrl).get('/health')).status).toBe(200);

    // Acknowledged means recorded: each process is there for the comptroller, once the read side has folded the last.
    const last = answers.map((answer) => BigInt((answer.body as { position: string }).position)).reduce((a, b) => (a > b ? a : b));
    for (const processId of processes) {
      const found = await request(server.baseUrl).get(`/v1/enrollments/${processId}?minPosition=${last}`).set('Authorization', callers.comptroller);
      expect({ processId, status: found.status }).toEqual({ processId, status: 200 });
    }

    // The same keys again: the first answers, nothing new written.
    const again = await post(server, '/v1/enrollments', callers.registrar, enrollmentBody(nextPerson('QR')), { 'Idempotency-Key': `burst-${process.pid}-0` });
    expect(again.status).toBe(409);
  });
});
