/**
 * Append throughput: what 64 concurrent writers get from PostgreSQL with one
 * row per transaction, against what they get through the EventStore port,
 * whose group commit shares one transaction (one fsync, one turn of the append
 * lock) among every append waiting at the time. All run on the same embedded
 * PostgreSQL, fsync and synchronous_commit on, in a throw-away folder.
 *
 *   npm run bench:append
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { EmbeddedPostgres, startEmbeddedPostgres } from '@ledger/platform';
import { EventMetadata, ExpectedRevision, PostgresEventStore } from '@ledger/event-store';

const WRITERS = 64;
const WARM_UP_MS = 1_000;
const MEASURE_MS = 10_000;

interface Measurement {
  operations: number;
  seconds: number;
  latenciesMs: number[];
}

/** One unit of work for a writer; the bench calls it in a loop until the time is up. */
type Operation = (writer: number) => Promise<void>;

const metadata: EventMetadata = {
  actor: { id: 'bench-registrar', role: 'registrar', organizationId: 'bench-org' },
  commandId: randomUUID(),
  correlationId: randomUUID(),
  causationId: randomUUID(),
  occurredAt: '2024-03-01T10:15:00.000Z',
  recordedAt: '2024-03-01T10:15:00.250Z',
  schemaVersion: 1,
};
const data = { standardCode: 'EC0217.01', candidate: 'Ñandú Pérez', evaluatedAt: '2024-02-28' };

async function main(): Promise<void> {
  const dataDir = mkdtempSync(join(tmpdir(), 'ledger-bench-append-'));
  let server: EmbeddedPostgres | undefined;
  try {
    server = await startEmbeddedPostgres({ dataDir });
    const settings = await durabilitySettings(server.url);
    const raw = await measureRawInserts(server.url);
    await settleDatabase(server.url);
    const expecting = await measurePortAppends(server.url, 'no_stream');
    await settleDatabase(server.url);
    const any = await measurePortAppends(server.url, 'any');
    printReport(settings, raw, expecting, any);
  } finally {
    await server?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

/** (a) One INSERT per transaction (autocommit), each writer on its own connection. */
async function measureRawInserts(url: string): Promise<Measurement> {
  const clients = await Promise.all(Array.from({ length: WRITERS }, () => connect(url)));
  try {
    await clients[0].query(`
      CREATE TABLE raw_events (
        position  bigserial PRIMARY KEY,
        id        uuid   NOT NULL UNIQUE,
        stream_id text   NOT NULL,
        revision  bigint NOT NULL,
        type      text   NOT NULL,
        data      json   NOT NULL,
        metadata  json   NOT NULL,
        UNIQUE (stream_id, revision)
      )`);
    const insert = `INSERT INTO raw_events (id, stream_id, revision, type, data, metadata) VALUES ($1, $2, 0, 'EvaluationRecorded', $3, $4)`;
    return await measure(async (writer) => {
      await clients[writer].query(insert, [randomUUID(), `bench-${randomUUID()}`, JSON.stringify(data), JSON.stringify(metadata)]);
    });
  } finally {
    await Promise.all(clients.map((client) => client.end()));
  }
}

interface PortMeasurement {
  measurement: Measurement;
  eventsPerTransaction: number;
}

/**
 * (b) and (c): one event to a new stream per appendToStream call, through the
 * port. With an exact expectation (no_stream) the batch is decided on what the
 * appends expect and checked by the database; with `any` the adapter must
 * first read the streams' revisions, one more round trip per batch.
 */
async function measurePortAppends(url: string, expectedRevision: ExpectedRevision): Promise<PortMeasurement> {
  const store = new PostgresEventStore(url, { poolSize: 4 });
  const prefix = `bench-${String(expectedRevision)}-`;
  try {
    await store.migrate();
    const measurement = await measure(async () => {
      const event = { id: randomUUID(), type: 'EvaluationRecorded', data, metadata };
      await store.appendToStream(prefix + randomUUID(), [event], { expectedRevision });
    });
    return { measurement, eventsPerTransaction: await eventsPerTransaction(url, prefix) };
  } finally {
    await store.close();
  }
}

/** Runs every writer through a warm-up, then counts the operations finished within the measured window. */
async function measure(operation: Operation): Promise<Measurement> {
  await runWriters(operation, WARM_UP_MS);
  const started = performance.now();
  const latenciesMs = (await runWriters(operation, MEASURE_MS)).flat();
  return { operations: latenciesMs.length, seconds: (performance.now() - started) / 1000, latenciesMs };
}

async function runWriters(operation: Operation, durationMs: number): Promise<number[][]> {
  const deadline = performance.now() + durationMs;
  return Promise.all(
    Array.from({ length: WRITERS }, async (_, writer) => {
      const latencies: number[] = [];
      while (performance.now() < deadline) {
        const start = performance.now();
        await operation(writer);
        latencies.push(performance.now() - start);
      }
      return latencies;
    }),
  );
}

/**
 * Between paths: vacuum and checkpoint now, so that autovacuum and the
 * checkpointer do not bill one path for the rows another wrote.
 */
async function settleDatabase(url: string): Promise<void> {
  const client = await connect(url);
  try {
    await client.query('VACUUM (ANALYZE)');
    await client.query('CHECKPOINT');
  } finally {
    await client.end();
  }
}

/** Rows sharing a creating transaction id (xmin) were written by the same group commit. */
async function eventsPerTransaction(url: string, streamPrefix: string): Promise<number> {
  const client = await connect(url);
  try {
    const { rows } = await client.query(
      'SELECT count(*)::float8 / count(DISTINCT xmin::text) AS ratio FROM event_store.events WHERE starts_with(stream_id, $1)',
      [streamPrefix],
    );
    return rows[0].ratio;
  } finally {
    await client.end();
  }
}

async function durabilitySettings(url: string): Promise<string> {
  const client = await connect(url);
  try {
    const { rows } = await client.query(
      `SELECT current_setting('fsync') AS fsync, current_setting('synchronous_commit') AS sync, version() AS version`,
    );
    return `fsync=${rows[0].fsync}, synchronous_commit=${rows[0].sync}, ${String(rows[0].version).split(' on ')[0]}`;
  } finally {
    await client.end();
  }
}

async function connect(url: string): Promise<Client> {
  const client = new Client({ connectionString: url });
  await client.connect();
  return client;
}

function printReport(settings: string, raw: Measurement, expecting: PortMeasurement, any: PortMeasurement): void {
  const rate = (m: Measurement) => m.operations / m.seconds;
  const columns = (cells: string[]) => cells.map((cell, i) => (i < 2 ? cell.padEnd(i === 0 ? 52 : 7) : cell.padStart(10))).join(' ');
  const row = (name: string, unit: string, m: Measurement, perTransaction: string) =>
    columns([
      name,
      unit,
      m.operations.toLocaleString('en-US'),
      Math.round(rate(m)).toLocaleString('en-US'),
      percentile(m.latenciesMs, 0.5).toFixed(1),
      percentile(m.latenciesMs, 0.99).toFixed(1),
      perTransaction,
    ]);
  const rule = '-'.repeat(116);
  console.log(`\nAppend benchmark: ${WRITERS} concurrent writers, ${MEASURE_MS / 1000} s per path after ${WARM_UP_MS / 1000} s warm-up`);
  console.log(`PostgreSQL: ${settings}\n`);
  console.log(columns(['path', 'unit', 'count', 'per second', 'p50 ms', 'p99 ms', 'per tx']));
  console.log(rule);
  console.log(row('(a) raw INSERT, one row per transaction (autocommit)', 'tx', raw, '1'));
  console.log(row('(b) appendToStream, new stream, expects no_stream', 'events', expecting.measurement, expecting.eventsPerTransaction.toFixed(1)));
  console.log(row('(c) appendToStream, new stream, expects any', 'events', any.measurement, any.eventsPerTransaction.toFixed(1)));
  console.log(rule);
  console.log(`ratio (b) / (a): ${(rate(expecting.measurement) / rate(raw)).toFixed(2)}x   (target >= 2x)`);
  console.log(`ratio (c) / (a): ${(rate(any.measurement) / rate(raw)).toFixed(2)}x\n`);
}

function percentile(values: number[], fraction: number): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(fraction * sorted.length))];
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
