import { ledgerProjections, ProjectionRunner } from '@ledger/projections';
import request from 'supertest';
import { eventually } from '../support/eventually';
import { callersFor, post, type Callers } from './support/ledger-client';
import { POSTGRES_MODE, type LedgerUnderTest } from './support/ledger-modes';

/**
 * Readiness tells a load balancer whether to send this instance traffic:
 * no projector folding the log (here: LEDGER_PROJECTOR=off and none running)
 * means the read models fall behind, and /health/ready says so, with the
 * reason, once the oldest unfolded event is older than LEDGER_READY_MAX_LAG;
 * it is logged as an error too. /health (commands) and /health/live stay 200.
 */
describe('readiness', () => {
  let ledger: LedgerUnderTest;
  let callers: Callers;

  beforeAll(async () => {
    ledger = await POSTGRES_MODE.start({ databasePrefix: 'readiness', server: { env: { LEDGER_PROJECTOR: 'off', LEDGER_READY_MAX_LAG: '1', LOG_LEVEL: 'info' } } });
    callers = callersFor(ledger.server);
  });

  afterAll(async () => {
    await ledger?.stop();
  });

  it('answers 503 with the reason while the projections lag past the bound, and 200 once they caught up', async () => {
    const { server } = ledger;
    expect((await post(server, '/v1/standards', callers.authority, { code: 'EC0105', version: '01', title: 'Atención al ciudadano', validityYears: 5 })).status).toBe(201);
    const lagging = await eventually(async () => {
      const response = await request(server.baseUrl).get('/health/ready');
      return response.status === 503 && response.body.reasons.length === ledgerProjections.length ? response : undefined;
    });
    expect(lagging.body.reasons).toEqual(expect.arrayContaining([expect.stringMatching(/^audit: \d+ s behind the log \(the bound is 1 s\)$/)]));
    expect(lagging.body.projections).toContainEqual(expect.objectContaining({ name: 'audit', checkpoint: '-1', parked: 0 }));
    expect((await request(server.baseUrl).get('/health')).status).toBe(200);
    expect((await request(server.baseUrl).get('/health/live')).body).toEqual({ status: 'ok' });
    await eventually(async () => (/Read side not ready: audit: \d+ s behind the log/.test(server.output()) ? true : undefined), 25_000);

    // A projector elsewhere catches up: the instance is ready again.
    const runner = new ProjectionRunner({ connectionString: await ledger.postgresUrl(), store: ledger.store, projections: ledgerProjections });
    await runner.start();
    try {
      const ready = await eventually(async () => {
        const response = await request(server.baseUrl).get('/health/ready');
        return response.status === 200 ? response : undefined;
      });
      expect(ready.body).toMatchObject({ status: 'ready', reasons: [] });
    } finally {
      await runner.stop();
    }
  }, 90_000);
});
