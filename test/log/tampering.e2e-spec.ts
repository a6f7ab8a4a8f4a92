import { Client } from 'pg';
import request from 'supertest';
import { callersFor, competentProcess, post, seedReferenceData, type Callers } from '../e2e/support/ledger-client';
import { POSTGRES_MODE, type LedgerUnderTest } from '../e2e/support/ledger-modes';
import { runCli } from '../e2e/support/ledger-server';
import { eventually } from '../support/eventually';

/**
 * Whoever runs the database can drop the trigger that keeps events
 * unchanged and edit the log as superuser; every read model would follow.
 * `ledger verify` recomputes the tree from the log and holds it against the
 * stored tree and the signed checkpoints: an edited, a deleted and two
 * swapped events are each found, at their position, and told apart.
 */
describe('tampering with the event log', () => {
  let ledger: LedgerUnderTest;
  let callers: Callers;
  let superuser: Client;
  let env: Record<string, string>;

  beforeAll(async () => {
    ledger = await POSTGRES_MODE.start({ databasePrefix: 'tampering', server: { env: { LEDGER_CHECKPOINT_INTERVAL: '1' } } });
    callers = callersFor(ledger.server);
    await seedReferenceData(ledger.server, callers);
    for (let n = 0; n < 3; n += 1) {
      const processId = await competentProcess(ledger.server, callers);
      expect((await post(ledger.server, `/v1/enrollments/${processId}/certificate`, callers.certifier, { issuedAt: '2018-11-13T18:00:00Z' })).status).toBe(201);
    }
    const head = await ledger.store.headPosition();
    await eventually(async () => {
      const checkpoint = await request(ledger.server.baseUrl).get('/v1/log/checkpoint');
      return checkpoint.status === 200 && checkpoint.text.split('\n')[1] === String(head + 1n) ? true : undefined;
    });
    env = { DATABASE_URL: await ledger.postgresUrl(), LEDGER_DATA_DIR: ledger.server.dataDir };
    superuser = new Client({ connectionString: await ledger.postgresUrl() });
    await superuser.connect();
    await superuser.query('ALTER TABLE event_store.events DISABLE TRIGGER USER');
  });

  afterAll(async () => {
    await superuser?.query('ALTER TABLE event_store.events ENABLE TRIGGER USER').catch(() => undefined);
    await superuser?.end();
    await ledger?.stop();
  });

  const verify = () => runCli(['verify', '--quiet'], env);

  it('agrees with an untouched log', async () => {
    const result = await verify();
    expect(result.stdout).toMatch(/the log, its tree and every signed checkpoint agree/);
    expect(result.code).toBe(0);
  });

  it('finds an event whose data was changed, at its position', async () => {
    // A judgment turned around: the second evaluation's result is rewritten.
    const { rows } = await superuser.query<{ position: string; data: string }>(
      `SELECT position::text AS position, data::text AS data FROM event_store.events WHERE type = 'EvaluationRecorded' ORDER BY events.position OFFSET 1 LIMIT 1`,
    );
    const { position, data } = rows[0];
    await superuser.query(`UPDATE event_store.events SET data = jsonb_set(data::jsonb, '{result}', '"not_yet_competent"')::json WHERE position = $1`, [position]);
    try {
      const result = await verify();
      expect(result.code).toBe(1);
      expect(result.stderr).toContain(`does not match at position ${position} (leaf ${position}): changed:`);
    } finally {
      await superuser.query('UPDATE event_store.events SET data = $1::json WHERE position = $2', [data, position]);
    }
    expect((await verify()).code).toBe(0);
  });

  it('finds an event that was deleted, at its position', async () => {
    const { rows } = await superuser.query('SELECT * FROM event_store.events WHERE position = 9');
    await superuser.query('DELETE FROM event_store.events WHERE position = 9');
    try {
      const result = await verify();
      expect(result.code).toBe(1);
      expect(result.stderr).toMatch(/does not match at position 9 \(leaf 9\): missing: event \S+ at position 9 is gone from the log/);
    } finally {
      const row = rows[0];
      await superuser.query('INSERT INTO event_store.events (position, id, stream_id, revision, type, data, metadata) VALUES ($1, $2, $3, $4, $5, $6, $7)', [
        row.position, row.id, row.stream_id, row.revision, row.type, JSON.stringify(row.data), JSON.stringify(row.metadata),
      ]);
    }
    expect((await verify()).code).toBe(0);
  });

  it('finds two events whose places were swapped', async () => {
    const swap = async () => {
      await superuser.query('BEGIN');
      await superuser.query('UPDATE event_store.events SET position = 999999999 WHERE position = 10');
      await superuser.query('UPDATE event_store.events SET position = 10 WHERE position = 11');
      await superuser.query('UPDATE event_store.events SET position = 11 WHERE position = 999999999');
      await superuser.query('COMMIT');
    };
    await swap();
    try {
      const result = await verify();
      expect(result.code).toBe(1);
      expect(result.stderr).toMatch(/does not match at position 10 \(leaf 10\): reordered:/);
    } finally {
      await swap();
    }
    expect((await verify()).code).toBe(0);
  });
});
