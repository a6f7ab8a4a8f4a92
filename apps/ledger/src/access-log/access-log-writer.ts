import type { AccessLogEntry } from './access-log-entry';

/**
 * Why an entry was not taken. `full`: the queue holds its bound of entries or
 * subject ids. `behind`: the oldest entry waiting has waited longer than the
 * bound (the database does not take writes). `closed`: the ledger is
 * shutting down.
 */
export type Refusal = 'full' | 'behind' | 'closed';

export interface AccessLogWriterOptions {
  /** Writes a batch in one statement, all or nothing; rejects when the database does not take it. */
  write(entries: readonly AccessLogEntry[]): Promise<void>;
  /** At most this many entries per write. */
  batchSize: number;
  /** An entry waits at most this long for others to share its write. */
  flushIntervalMs: number;
  /** Bounds on what waits in memory: entries, and subject ids across them. */
  maxQueuedEntries: number;
  maxQueuedSubjects: number;
  /** Once the oldest entry waiting is older than this, new ones are refused: what a crash could lose stays this small. */
  maxPendingMs: number;
  /** After a failed write, the next try waits this long, doubling up to maxRetryDelayMs. */
  retryDelayMs: number;
  maxRetryDelayMs: number;
  /** Milliseconds on a monotonic clock. */
  now(): number;
  /** A failed write: told with the number of entries waiting (no entry's content). */
  onWriteFailure(error: unknown, waiting: number): void;
}

interface Waiting {
  readonly entry: AccessLogEntry;
  readonly since: number;
}

/**
 * The access log's bounded queue and its one writer. Answers only enqueue
 * (offer), so a query never waits on the log's INSERT; the writer takes up
 * to `batchSize` entries in one statement as soon as a batch is full or the
 * first entry has waited `flushIntervalMs`, and drains what arrived while it
 * wrote. A failed write puts its batch back at the head, in order, and is
 * retried with backoff; meanwhile the queue fills to its bounds and offers
 * are refused, so the caller can refuse its answer instead of showing
 * personal data that would go unrecorded. close() refuses new entries and
 * writes every one waiting, retrying until its deadline; what it could not
 * write it returns, for the caller to keep elsewhere.
 */
export class AccessLogWriter {
  private readonly queue: Waiting[] = [];
  private queuedSubjects = 0;
  /** The batch being written, out of the queue until its write settles. */
  private inFlight: Waiting[] = [];
  private writing: Promise<void> | null = null;
  private timer: NodeJS.Timeout | null = null;
  private immediate: NodeJS.Immediate | null = null;
  private failures = 0;
  private closed = false;

  constructor(private readonly options: AccessLogWriterOptions) {
    if (options.batchSize < 1 || options.maxQueuedEntries < options.batchSize) throw new Error('The access log needs 1 <= batchSize <= maxQueuedEntries');
  }

  /** Takes the entry, or says why not; never waits. */
  offer(entry: AccessLogEntry): Refusal | null {
    if (this.closed) return 'closed';
    const now = this.options.now();
    const oldest = this.inFlight[0] ?? this.queue[0];
    if (oldest && now - oldest.since > this.options.maxPendingMs) return 'behind';
    if (this.queue.length + this.inFlight.length >= this.options.maxQueuedEntries) return 'full';
    if (this.queuedSubjects + entry.subjectIds.length > this.options.maxQueuedSubjects) return 'full';
    this.queue.push({ entry, since: now });
    this.queuedSubjects += entry.subjectIds.length;
    this.schedule();
    return null;
  }

  /** Entries taken and not yet written (the batch being written included). */
  get waiting(): number {
    return this.queue.length + this.inFlight.length;
  }

  /**
   * Refuses new entries and writes the waiting ones, retrying failed writes
   * until `deadline` (on the options' clock). Returns the entries it could not write.
   */
  async close(deadline: number): Promise<AccessLogEntry[]> {
    this.closed = true;
    this.cancelTimers();
    for (;;) {
      if (this.writing) await this.writing;
      if (this.queue.length === 0) return [];
      if (this.options.now() >= deadline) break;
      if (!(await this.writeBatch())) await delay(Math.min(this.retryDelay(), Math.max(0, deadline - this.options.now())));
    }
    const unwritten = this.queue.splice(0).map((waiting) => waiting.entry);
    this.queuedSubjects = 0;
    return unwritten;
  }

  private schedule(): void {
    if (this.writing || this.immediate) return;
    if (this.queue.length >= this.options.batchSize) {
      this.cancelTimers();
      this.immediate = setImmediate(() => this.flush());
    } else if (!this.timer && this.queue.length > 0) {
      this.timer = setTimeout(() => this.flush(), this.options.flushIntervalMs);
    }
  }

  private flush(): void {
    this.cancelTimers();
    if (this.writing || this.queue.length === 0) return;
    void this.writeBatch().then((written) => {
      if (this.closed) return;
      if (!written) this.timer = setTimeout(() => this.flush(), this.retryDelay());
      // What arrived during the write has waited that long already: drain it now.
      else if (this.queue.length > 0) this.immediate = setImmediate(() => this.flush());
    });
  }

  /** Writes one batch from the head of the queue; true when it was written. */
  private writeBatch(): Promise<boolean> {
    const batch = this.queue.splice(0, this.options.batchSize);
    this.inFlight = batch;
    const settle = (): void => {
      this.inFlight = [];
      this.writing = null;
    };
    const entries = batch.map((waiting) => waiting.entry);
    // A sink that throws at once counts as a failed write, like one that rejects.
    const attempt = (async () => this.options.write(entries))().then(
      () => {
        settle();
        this.failures = 0;
        this.queuedSubjects -= batch.reduce((sum, waiting) => sum + waiting.entry.subjectIds.length, 0);
        return true;
      },
      (error: unknown) => {
        settle();
        this.failures += 1;
        this.queue.unshift(...batch);
        this.options.onWriteFailure(error, this.queue.length);
        return false;
      },
    );
    this.writing = attempt.then(() => undefined);
    return attempt;
  }

  private retryDelay(): number {
    return Math.min(this.options.maxRetryDelayMs, this.options.retryDelayMs * 2 ** Math.max(0, this.failures - 1));
  }

  private cancelTimers(): void {
    if (this.timer) clearTimeout(this.timer);
    if (this.immediate) clearImmediate(this.immediate);
    this.timer = null;
    this.immediate = null;
  }
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
