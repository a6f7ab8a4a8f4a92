import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Pool } from 'pg';
import { canonicalJson, PostgresEventStore, type StoredLogEntry } from '@ledger/event-store';
import { runReadModelMigrations } from '@ledger/read-models';
import { generateNoteKey, verifierKeyOf } from '@ledger/verifiable-log';
import { ensureGenerations } from '../generations';
import { rebuildProjections } from '../rebuild';
import { seedEventStore } from '../testing/seed';
import { SyntheticLedger } from '../testing/synthetic-ledger';
import { CheckpointSigner, lastSignedCheckpointFile } from './checkpoint-signer';
import { logProjection } from './log.projection';
import { verifyLog, type LogVerificationOptions, type StoredEntryLog, type VerificationResult } from './log-verifier';
import { createTestDatabase, testPool } from '@ledger/platform/testing';

/**
 * On PostgreSQL, verify hashes each event from the texts the store keeps,
 * unparsed, and reads through the port's mapping only the events whose texts
 * are not the bytes the tree hashed (rows stored before the store wrote RFC
 * 8785 text, or changed since). Whatever the rows, it must find exactly what
 * reading every event through the port finds.
 */
describe('verifyLog on the stored texts', () => {
  const key = generateNoteKey('ledger.example.gob.mx/log');
  let database: { url: string; drop: () => Promise<void> };
  let store: PostgresEventStore;
  let pool: Pool;
  let dataDir: string;
  /** Positions of the rows written as an older adapter wrote them. */
  const olderRows: string[] = [];
  let total = 0;

  /** Rows as JSON.stringify wrote them (key order as given), some with spaces and escapes JCS does not use. */
  async function appendAsOlderAdapter(count: number): Promise<void> {
    const head = await store.headPosition();
    for (let n = 0; n < count; n += 1) {
      const position = head + 1n + BigInt(n);
      const data = { result: n % 2 === 0 ? 'competent' : 'not_yet_competent', evaluatedAt: '2024-02-28', score: 9.5, candidate: 'Ñandú Pérez' };
      const metadata = { schemaVersion: 1, actor: { role: 'evaluator', id: `e-${n}`, organizationId: 'org' }, recordedAt: '2024-03-01T10:15:00.250Z' };
      const dataText = n % 3 === 0 ? JSON.stringify(data, null, 2) : n % 3 === 1 ? JSON.stringify(data).replace('Ñ', '\\u00d1') : JSON.stringify(data);
      await pool.query('INSERT INTO event_store.events (position, id, stream_id, revision, type, data, metadata) VALUES ($1, gen_random_uuid(), $2, 0, $3, $4, $5)', [
        position,
        `older-${position}`,
        'EvaluationRecorded',
        dataText,
        JSON.stringify(metadata),
      ]);
      olderRows.push(String(position));
    }
  }

  async function buildAndSign(): Promise<void> {
    await rebuildProjections({ connectionString: database.url, store, projections: [logProjection], batchSize: 37 });
    const signer = new CheckpointSigner({ connectionString: database.url, signer: key, intervalMs: 60_000, lastSignedFile: lastSignedCheckpointFile(dataDir) });
    try {
      expect(await signer.signNow()).toMatchObject({ kind: 'signed' });
    } finally {
      await signer.stop();
    }
  }

  const verify = (options: Partial<LogVerificationOptions> = {}) =>
    verifyLog({ store, db: pool, origin: key.name, verifiers: [verifierKeyOf(key)], batchSize: 16, ...options });

  /** Verify on the stored texts (batches of 16), after checking it finds what the port finds at several batch sizes. */
  async function verifyBothWays(): Promise<VerificationResult> {
    for (const batchSize of [1, 5_000, 16]) {
      const fromText = await verify({ batchSize });
      expect(await verify({ batchSize, storedEntries: false })).toEqual(fromText);
      if (batchSize === 16) return fromText;
    }
    throw new Error('unreachable');
  }

  /** A StoredEntryLog over the store that records which events it had to read through the port's mapping. */
  function countingFallbacks(): { log: StoredEntryLog; parsed: string[] } {
    const parsed: string[] = [];
    return {
      parsed,
      log: {
        readAllStoredEntries: (after, maxCount) => store.readAllStoredEntries(after, maxCount),
        storedEntryToRecordedEvent: (row: StoredLogEntry) => {
          parsed.push(row.position);
          return store.storedEntryToRecordedEvent(row);
        },
      },
    };
  }

  async function tampered<T>(change: string, values: unknown[], work: () => Promise<T>, restore: string, restoreValues: unknown[]): Promise<T> {
    await pool.query('ALTER TABLE event_store.events DISABLE TRIGGER USER');
    try {
      await pool.query(change, values);
      return await work();
    } finally {
      await pool.query(restore, restoreValues);
      await pool.query('ALTER TABLE event_store.events ENABLE TRIGGER USER');
    }
  }

  async function rowAt(position: string): Promise<{ data: string; metadata: string }> {
    const { rows } = await pool.query<{ data: string; metadata: string }>('SELECT data::text AS data, metadata::text AS metadata FROM event_store.events WHERE position = $1', [position]);
    return rows[0];
  }

  beforeAll(async () => {
    database = await createTestDatabase('log_verifier');
    store = new PostgresEventStore(database.url, { poolSize: 4 });
    await store.migrate();
    await runReadModelMigrations(database.url);
    pool = testPool({ connectionString: database.url, max: 2 });
    await ensureGenerations(pool, [logProjection]);
    dataDir = mkdtempSync(join(tmpdir(), 'ledger-verifier-'));
    const appends = [...new SyntheticLedger({ people: 30, seed: 11 }).appends()];
    // Older rows first, amid and last, with two checkpoints: one in the middle, one at the end.
    await appendAsOlderAdapter(5);
    await seedEventStore(store, appends.slice(0, appends.length / 2), { inFlight: 8 });
    await appendAsOlderAdapter(7);
    await buildAndSign();
    await seedEventStore(store, appends.slice(appends.length / 2), { inFlight: 8 });
    await appendAsOlderAdapter(3);
    await buildAndSign();
    total = Number((await store.headPosition()) + 1n);
  });

  afterAll(async () => {
    await pool?.end();
    await store?.close();
    await database?.drop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('finds the untouched log whole, reading through the port only the rows not written canonically', async () => {
    expect(total).toBeGreaterThan(150);
    expect(await verifyBothWays()).toEqual({ leaves: total, checkpoints: 2 });
    const { log, parsed } = countingFallbacks();
    expect(await verify({ storedEntries: log })).toEqual({ leaves: total, checkpoints: 2 });
    expect(parsed).toEqual(olderRows);
  });

  it('reads a long run of rows not written canonically through the port, then goes back to the stored entries', async () => {
    // Entries with a space after them: the same JSON, other bytes, as a log written before the upgrade gives.
    const parsed: string[] = [];
    const oldRun = (position: string) => Number(position) < 100;
    const log: StoredEntryLog = {
      readAllStoredEntries: async (after, maxCount) =>
        (await store.readAllStoredEntries(after, maxCount)).map((row) => (oldRun(row.position) ? { ...row, entry: `${row.entry} ` } : row)),
      storedEntryToRecordedEvent: (row) => {
        parsed.push(row.position);
        return store.storedEntryToRecordedEvent(row);
      },
    };
    expect(await verify({ storedEntries: log, batchSize: 40 })).toEqual({ leaves: total, checkpoints: 2 });
    expect(await verify({ storedEntries: false, batchSize: 40 })).toEqual({ leaves: total, checkpoints: 2 });
    // Every row of the run is parsed; past it, once the probes find the entries are leaves again, only the older rows are.
    expect(parsed.filter(oldRun)).toEqual(Array.from({ length: 100 }, (_, index) => String(index)));
    expect(parsed.filter((position) => Number(position) >= 160 && !olderRows.includes(position))).toEqual([]);
  });

  it('takes an older row rewritten canonically for the same event, as the port does', async () => {
    const position = olderRows[0];
    const { data, metadata } = await rowAt(position);
    const result = await tampered(
      'UPDATE event_store.events SET data = $1::json, metadata = $2::json WHERE position = $3',
      [canonicalJson(JSON.parse(data)), canonicalJson(JSON.parse(metadata)), position],
      async () => {
        const { log, parsed } = countingFallbacks();
        expect(await verify({ storedEntries: log })).toEqual({ leaves: total, checkpoints: 2 });
        expect(parsed).not.toContain(position);
        return verifyBothWays();
      },
      'UPDATE event_store.events SET data = $1::json, metadata = $2::json WHERE position = $3',
      [data, metadata, position],
    );
    expect(result).toEqual({ leaves: total, checkpoints: 2 });
  });

  it.each([
    ['a row the store wrote', () => '40'],
    ['an older row', () => olderRows[6]],
  ])('finds %s changed, at its position, whether or not the change is canonical', async (_, positionOf) => {
    const position = positionOf();
    const { data } = await rowAt(position);
    const changed = { ...(JSON.parse(data) as object), result: 'revoked' };
    for (const text of [canonicalJson(changed), JSON.stringify(changed, null, 1)]) {
      const result = await tampered(
        'UPDATE event_store.events SET data = $1::json WHERE position = $2',
        [text, position],
        verifyBothWays,
        'UPDATE event_store.events SET data = $1::json WHERE position = $2',
        [data, position],
      );
      expect(result.finding).toMatchObject({ kind: 'changed', position, leafIndex: Number(position) });
    }
    expect(await verify()).toEqual({ leaves: total, checkpoints: 2 });
  });

  it('finds an event deleted, and two swapped, as the port does', async () => {
    const { rows } = await pool.query('SELECT position, id, stream_id, revision, type, data::text AS data, metadata::text AS metadata FROM event_store.events WHERE position = 60');
    const row = rows[0];
    const deleted = await tampered('DELETE FROM event_store.events WHERE position = $1', [60], verifyBothWays, 'INSERT INTO event_store.events VALUES ($1, $2, $3, $4, $5, $6, $7)', [
      row.position, row.id, row.stream_id, row.revision, row.type, row.data, row.metadata,
    ]);
    expect(deleted.finding).toMatchObject({ kind: 'missing', position: '60', leafIndex: 60 });

    // An older row and the one after it; positions are a primary key, so through a free one, in one transaction.
    const older = Number(olderRows[5]);
    const swap = `BEGIN;
      UPDATE event_store.events SET position = 999999999 WHERE position = ${older};
      UPDATE event_store.events SET position = ${older} WHERE position = ${older + 1};
      UPDATE event_store.events SET position = ${older + 1} WHERE position = 999999999;
      COMMIT`;
    const swapped = await tampered(swap, [], verifyBothWays, swap, []);
    expect(swapped.finding).toMatchObject({ kind: 'reordered', position: String(older), leafIndex: older });
    expect(await verify()).toEqual({ leaves: total, checkpoints: 2 });
  });
});
