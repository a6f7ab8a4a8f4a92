/**
 * Rebuild throughput: seeds N events of a plausible ledger through the
 * EventStore port (appends in flight together, so group commit writes them in
 * bulk), then reads them all raw through the port and rebuilds every
 * projection blue/green from them, in the same run on the same embedded
 * PostgreSQL. Prints events/s for both, and peak memory sampled during the
 * rebuild at every tenth of the way, to show that it does not grow with N.
 *
 *   npm run bench:rebuild                        # 200,000 events
 *   npm run bench:rebuild -- --events 1000000    # the reported figure
 *   DATABASE_URL=postgres://… npm run bench:rebuild -- --events 1000000
 *
 * Options: --events N, --batch N (events per read and transaction).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { PostgresEventStore } from '@ledger/event-store';
import { startEmbeddedPostgres, type EmbeddedPostgres } from '@ledger/platform';
import { DEFAULT_BATCH_SIZE, ensureGenerations, ledgerProjections, rebuildProjections } from '@ledger/projections';
import { runReadModelMigrations } from '@ledger/read-models';
import { positiveIntegerOption } from './support/bench-support';
import { seedEventStore, SyntheticLedger } from '@ledger/projections/testing';

/** Fewer than the synthetic ledger writes per person, so it never runs out before the asked count. */
const EVENTS_PER_PERSON = 5;

interface Options {
  events: number;
  batch: number;
}

interface MemorySample {
  rssMb: number;
  heapMb: number;
}

/** A tenth of the rebuild: its peak memory, and when it ended (seconds from the start). */
interface Tenth extends MemorySample {
  endedAtSeconds: number;
}

async function main(): Promise<void> {
  const options = parseOptions(process.argv.slice(2));
  const dataDir = mkdtempSync(join(tmpdir(), 'ledger-bench-rebuild-'));
  let server: EmbeddedPostgres | undefined;
  try {
    const serverUrl = process.env.DATABASE_URL ?? (server = await startEmbeddedPostgres({ dataDir })).url;
    const url = await freshDatabase(serverUrl);
    const store = new PostgresEventStore(url, { poolSize: 4 });
    await store.migrate();
    await runReadModelMigrations(url);
    const seeded = await seed(store, options.events);
    await store.close();
    // A fresh store and a collected heap, so the measurements start from the same state.
    global.gc?.();
    const reader = new PostgresEventStore(url, { poolSize: 4 });
    const raw = await rawRead(reader, options.batch);
    const rebuild = await rebuildAll(url, reader, options.batch, seeded);
    await reader.close();
    report(options, seeded, raw, rebuild);
  } finally {
    await server?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

function parseOptions(args: string[]): Options {
  const value = (name: string, fallback: number) => positiveIntegerOption(args, name, fallback);
  return { events: value('events', 200_000), batch: value('batch', DEFAULT_BATCH_SIZE) };
}

/** A database of its own, with commits that do not wait for the disk: seeding is not what is measured. */
async function freshDatabase(serverUrl: string): Promise<string> {
  const name = `bench_rebuild_${Date.now()}`;
  const admin = new Client({ connectionString: serverUrl });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE "${name}"`);
    await admin.query(`ALTER DATABASE "${name}" SET synchronous_commit = off`);
  } finally {
    await admin.end();
  }
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return url.toString();
}

async function seed(store: PostgresEventStore, events: number): Promise<number> {
  const started = Date.now();
  const ledger = new SyntheticLedger({ people: Math.ceil(events / EVENTS_PER_PERSON), waveSize: 1_000 });
  let seeded = 0;
  const target = events;
  // Stop at the asked count (give or take one append): the synthetic ledger's size per person varies.
  function* bounded() {
    for (const append of ledger.appends()) {
      if (seeded >= target) return;
      seeded += append.events.length;
      yield append;
    }
  }
  await seedEventStore(store, bounded(), {
    inFlight: 1_024,
    onProgress: (count) => {
      if (count % 100_000 < 50) process.stdout.write(`\rseeding: ${count.toLocaleString('en')} events`);
    },
  });
  const seconds = (Date.now() - started) / 1000;
  process.stdout.write(`\rseeded ${seeded.toLocaleString('en')} events in ${seconds.toFixed(1)} s\n`);
  return seeded;
}

interface Measured {
  events: number;
  seconds: number;
  peak: MemorySample;
  byTenth: Tenth[];
}

/** The floor: reading every event through the port in the same batches, doing nothing with them. */
async function rawRead(store: PostgresEventStore, batch: number): Promise<Measured> {
  const memory = new MemoryWatch();
  const started = process.hrtime.bigint();
  let events = 0;
  for (let from = 0n; ; ) {
    const page = await store.readAll({ fromPosition: from, maxCount: batch });
    events += page.length;
    if (page.length < batch) break;
    from = page[page.length - 1].position + 1n;
  }
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  return { events, seconds, ...memory.stop() };
}

async function rebuildAll(url: string, store: PostgresEventStore, batch: number, events: number): Promise<Measured> {
  const { Pool } = await import('pg');
  const pool = new Pool({ connectionString: url, max: 2 });
  await ensureGenerations(pool, ledgerProjections);
  await pool.end();
  const memory = new MemoryWatch();
  const started = process.hrtime.bigint();
  let nextTenth = 1;
  await rebuildProjections({
    connectionString: url,
    store,
    projections: ledgerProjections,
    batchSize: batch,
    onProgress: ({ position, head }) => {
      const done = Number(position + 1n) / Number(head + 1n);
      while (done >= nextTenth / 10 && nextTenth <= 10) {
        memory.markTenth();
        process.stdout.write(`\rrebuilding: ${nextTenth * 10}%`);
        nextTenth += 1;
      }
    },
  });
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  process.stdout.write('\n');
  return { events, seconds, ...memory.stop() };
}

/** Samples memory every 20 ms; the peak of each tenth of the run shows whether it grows. */
class MemoryWatch {
  private peak: MemorySample = { rssMb: 0, heapMb: 0 };
  private tenthPeak: MemorySample = { rssMb: 0, heapMb: 0 };
  private readonly tenths: Tenth[] = [];
  private readonly timer = setInterval(() => this.sample(), 20);
  private readonly started = process.hrtime.bigint();

  markTenth(): void {
    this.sample();
    this.tenths.push({ ...this.tenthPeak, endedAtSeconds: Number(process.hrtime.bigint() - this.started) / 1e9 });
    this.tenthPeak = { rssMb: 0, heapMb: 0 };
  }

  stop(): { peak: MemorySample; byTenth: Tenth[] } {
    clearInterval(this.timer);
    this.sample();
    return { peak: this.peak, byTenth: this.tenths };
  }

  private sample(): void {
    const { rss, heapUsed } = process.memoryUsage();
    const now = { rssMb: rss / 2 ** 20, heapMb: heapUsed / 2 ** 20 };
    this.peak = max(this.peak, now);
    this.tenthPeak = max(this.tenthPeak, now);
  }
}

function max(a: MemorySample, b: MemorySample): MemorySample {
  return { rssMb: Math.max(a.rssMb, b.rssMb), heapMb: Math.max(a.heapMb, b.heapMb) };
}

function report(options: Options, seeded: number, raw: Measured, rebuild: Measured): void {
  const rate = (m: Measured) => Math.round(m.events / m.seconds).toLocaleString('en');
  const mb = (s: MemorySample) => `RSS ${s.rssMb.toFixed(0)} MB, heap ${s.heapMb.toFixed(0)} MB`;
  console.log(`\nRebuild of every projection (${ledgerProjections.map((p) => p.name).join(', ')}), ${availableParallelism()} CPUs, batch ${options.batch}`);
  console.log(`events in the log:         ${seeded.toLocaleString('en')}`);
  console.log(`raw read through the port: ${rate(raw).padStart(9)} events/s  (${raw.seconds.toFixed(1)} s, peak ${mb(raw.peak)})`);
  console.log(`rebuild, all projections:  ${rate(rebuild).padStart(9)} events/s  (${rebuild.seconds.toFixed(1)} s, peak ${mb(rebuild.peak)})`);
  // Each tenth's own rate: a rate that falls from the first tenth to the last is what a larger log would cost more per event.
  console.log('peak memory and rate by tenth of the rebuild:');
  rebuild.byTenth.forEach((tenth, index) => {
    const seconds = tenth.endedAtSeconds - (index === 0 ? 0 : rebuild.byTenth[index - 1].endedAtSeconds);
    const rateOfTenth = Math.round(rebuild.events / 10 / seconds).toLocaleString('en');
    console.log(`  ${String((index + 1) * 10).padStart(3)}%  ${mb(tenth)}, ${rateOfTenth.padStart(7)} events/s`);
  });
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
