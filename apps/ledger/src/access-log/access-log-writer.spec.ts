import type { AccessLogEntry } from './access-log-entry';
import { AccessLogWriter, type AccessLogWriterOptions } from './access-log-writer';

const SUBJECT = (n: number) => n.toString(16).padStart(64, '0');

function entry(n: number, subjects = 1): AccessLogEntry {
  return {
    readAt: new Date(Date.UTC(2026, 11, 1, 10, 0, 0, n)).toISOString(),
    actorId: 'auditor-1',
    actorRole: 'comptroller',
    actorOrganizationId: 'SECOGEF',
    actorJurisdiction: null,
    route: '/v1/certificates',
    correlationId: `c-${n}`,
    subjectIds: Array.from({ length: subjects }, (_, i) => SUBJECT(n * 1000 + i)),
  };
}

/** A database the test controls: each write waits for the test to let it succeed or fail. */
class ControlledDatabase {
  readonly written: AccessLogEntry[][] = [];
  readonly attempts: AccessLogEntry[][] = [];
  private pending: { entries: readonly AccessLogEntry[]; resolve: () => void; reject: (error: Error) => void }[] = [];
  private waiters: (() => void)[] = [];
  /** Writes answer at once while set. */
  mode: 'manual' | 'up' | 'down' = 'manual';

  write = (entries: readonly AccessLogEntry[]): Promise<void> => {
    this.attempts.push([...entries]);
    if (this.mode === 'up') {
      this.written.push([...entries]);
      this.notify();
      return Promise.resolve();
    }
    if (this.mode === 'down') {
      this.notify();
      return Promise.reject(Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }));
    }
    return new Promise<void>((resolve, reject) => {
      this.pending.push({ entries, resolve, reject });
      this.notify();
    });
  };

  /** Resolves once a write is waiting (or has been attempted, in up/down modes) and `count` attempts happened. */
  async attemptsReach(count: number): Promise<void> {
    while (this.attempts.length < count) await new Promise<void>((resolve) => this.waiters.push(resolve));
  }

  /** Resolves once `count` entries have been written. */
  async writtenReach(count: number): Promise<void> {
    while (this.written.flat().length < count) await new Promise<void>((resolve) => this.waiters.push(resolve));
  }

  succeed(): void {
    const write = this.pending.shift();
    if (!write) throw new Error('no write waiting');
    this.written.push([...write.entries]);
    write.resolve();
    this.notify();
  }

  fail(): void {
    const write = this.pending.shift();
    if (!write) throw new Error('no write waiting');
    write.reject(Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }));
  }

  private notify(): void {
    for (const waiter of this.waiters.splice(0)) waiter();
  }
}

interface Harness {
  writer: AccessLogWriter;
  database: ControlledDatabase;
  clock: { now: number };
  failures: number[];
}

function harness(overrides: Partial<AccessLogWriterOptions> = {}): Harness {
  const database = new ControlledDatabase();
  const clock = { now: 0 };
  const failures: number[] = [];
  const writer = new AccessLogWriter({
    write: database.write,
    batchSize: 4,
    flushIntervalMs: 5,
    maxQueuedEntries: 10,
    maxQueuedSubjects: 100,
    maxPendingMs: 5_000,
    retryDelayMs: 1,
    maxRetryDelayMs: 4,
    now: () => clock.now,
    onWriteFailure: (_error, waiting) => failures.push(waiting),
    ...overrides,
  });
  return { writer, database, clock, failures };
}

const ids = (entries: readonly AccessLogEntry[]) => entries.map((e) => e.correlationId);

describe('AccessLogWriter', () => {
  it('writes a full batch at once, in one write, without waiting for the interval', async () => {
    const { writer, database } = harness({ flushIntervalMs: 60_000 });
    for (let n = 1; n <= 4; n += 1) expect(writer.offer(entry(n))).toBeNull();
    await database.attemptsReach(1);
    expect(ids(database.attempts[0])).toEqual(['c-1', 'c-2', 'c-3', 'c-4']);
    database.succeed();
    await writer.close(Number.MAX_SAFE_INTEGER);
    expect(database.written).toHaveLength(1);
  });

  it('writes a partial batch once its first entry has waited the interval', async () => {
    const { writer, database } = harness({ flushIntervalMs: 20 });
    writer.offer(entry(1));
    writer.offer(entry(2));
    expect(database.attempts).toHaveLength(0);
    await database.attemptsReach(1);
    expect(ids(database.attempts[0])).toEqual(['c-1', 'c-2']);
    database.succeed();
    await writer.close(Number.MAX_SAFE_INTEGER);
  });

  it('drains what arrived during a write in batches of at most batchSize, in order', async () => {
    const { writer, database } = harness({ maxQueuedEntries: 20 });
    for (let n = 1; n <= 4; n += 1) writer.offer(entry(n));
    await database.attemptsReach(1);
    for (let n = 5; n <= 10; n += 1) writer.offer(entry(n));
    expect(writer.waiting).toBe(10);
    database.succeed();
    await database.attemptsReach(2);
    database.succeed();
    await database.attemptsReach(3);
    database.succeed();
    await writer.close(Number.MAX_SAFE_INTEGER);
    expect(database.written.map(ids)).toEqual([['c-1', 'c-2', 'c-3', 'c-4'], ['c-5', 'c-6', 'c-7', 'c-8'], ['c-9', 'c-10']]);
    expect(writer.waiting).toBe(0);
  });

  it('puts a failed batch back at the head and retries it, in order, before later entries', async () => {
    const { writer, database, failures } = harness();
    for (let n = 1; n <= 4; n += 1) writer.offer(entry(n));
    await database.attemptsReach(1);
    writer.offer(entry(5));
    database.fail();
    await database.attemptsReach(2);
    expect(failures).toEqual([5]);
    expect(ids(database.attempts[1])).toEqual(['c-1', 'c-2', 'c-3', 'c-4']);
    database.succeed();
    await database.attemptsReach(3);
    expect(ids(database.attempts[2])).toEqual(['c-5']);
    database.succeed();
    await writer.close(Number.MAX_SAFE_INTEGER);
    expect(database.written.flat().map((e) => e.correlationId)).toEqual(['c-1', 'c-2', 'c-3', 'c-4', 'c-5']);
  });

  it('refuses with "full" at the entry bound while the database is away, and takes entries again once it is back', async () => {
    const { writer, database } = harness();
    database.mode = 'down';
    const answers = Array.from({ length: 12 }, (_, i) => writer.offer(entry(i + 1)));
    expect(answers.slice(0, 10)).toEqual(Array(10).fill(null));
    expect(answers.slice(10)).toEqual(['full', 'full']);
    await database.attemptsReach(3);
    database.mode = 'up';
    await database.writtenReach(10);
    expect(writer.offer(entry(13))).toBeNull();
    await writer.close(Number.MAX_SAFE_INTEGER);
    expect(database.written.flat().map((e) => e.correlationId)).toEqual([...Array.from({ length: 10 }, (_, i) => `c-${i + 1}`), 'c-13']);
  });

  it('refuses with "full" at the subject bound, counting every subject of an entry', () => {
    const { writer } = harness({ maxQueuedSubjects: 10, flushIntervalMs: 60_000, batchSize: 10 });
    expect(writer.offer(entry(1, 6))).toBeNull();
    expect(writer.offer(entry(2, 5))).toBe('full');
    expect(writer.offer(entry(3, 4))).toBeNull();
    return writer.close(0);
  });

  it('refuses with "behind" once the oldest entry has waited longer than maxPendingMs (a database that takes no writes)', async () => {
    const { writer, database, clock } = harness({ maxPendingMs: 5_000 });
    for (let n = 1; n <= 4; n += 1) writer.offer(entry(n));
    await database.attemptsReach(1);
    clock.now = 4_999;
    expect(writer.offer(entry(5))).toBeNull();
    clock.now = 5_001;
    expect(writer.offer(entry(6))).toBe('behind');
    database.succeed();
    await database.attemptsReach(2);
    // The oldest waiting now is entry 5, taken at 4,999.
    expect(writer.offer(entry(7))).toBeNull();
    database.mode = 'up';
    database.succeed();
    await writer.close(Number.MAX_SAFE_INTEGER);
    expect(database.written.flat().map((e) => e.correlationId)).toEqual(['c-1', 'c-2', 'c-3', 'c-4', 'c-5', 'c-7']);
  });

  it('on close, refuses new entries and writes every waiting one, the interval not yet elapsed', async () => {
    const { writer, database } = harness({ flushIntervalMs: 60_000, batchSize: 4 });
    database.mode = 'up';
    for (let n = 1; n <= 3; n += 1) writer.offer(entry(n));
    expect(database.attempts).toHaveLength(0);
    const unwritten = await writer.close(Number.MAX_SAFE_INTEGER);
    expect(unwritten).toEqual([]);
    expect(database.written.flat().map((e) => e.correlationId)).toEqual(['c-1', 'c-2', 'c-3']);
    expect(writer.offer(entry(4))).toBe('closed');
  });

  it('on close, waits for the write in flight, then writes the rest', async () => {
    const { writer, database } = harness({ maxQueuedEntries: 10 });
    for (let n = 1; n <= 6; n += 1) writer.offer(entry(n));
    await database.attemptsReach(1);
    const closing = writer.close(Number.MAX_SAFE_INTEGER);
    database.mode = 'up';
    database.succeed();
    expect(await closing).toEqual([]);
    expect(database.written.flat().map((e) => e.correlationId)).toEqual(['c-1', 'c-2', 'c-3', 'c-4', 'c-5', 'c-6']);
  });

  it('on close with the database away, retries until the deadline and returns what it could not write, in order', async () => {
    const { writer, database, clock } = harness({ maxQueuedEntries: 10 });
    database.mode = 'down';
    for (let n = 1; n <= 6; n += 1) writer.offer(entry(n));
    await database.attemptsReach(1);
    const closing = writer.close(100);
    await database.attemptsReach(database.attempts.length + 2);
    clock.now = 100;
    const unwritten = await closing;
    expect(unwritten.map((e) => e.correlationId)).toEqual(['c-1', 'c-2', 'c-3', 'c-4', 'c-5', 'c-6']);
    expect(database.written).toEqual([]);
    expect(writer.waiting).toBe(0);
  });

  it('counts a sink that throws at once as a failed write', async () => {
    let calls = 0;
    const { writer } = harness({
      write: () => {
        calls += 1;
        if (calls === 1) throw new Error('synchronous failure');
        return Promise.resolve();
      },
    });
    for (let n = 1; n <= 4; n += 1) writer.offer(entry(n));
    expect(await writer.close(Number.MAX_SAFE_INTEGER)).toEqual([]);
    expect(calls).toBeGreaterThanOrEqual(2);
  });
});
