import { Pool } from 'pg';
import { AppendResult } from '../event-store.port';
import { appendResult, PendingAppend } from './append-decision';
import { appendOptimistically, WrittenBatch, writeAppends } from './log-writer';
import { inTransaction } from './transaction';

interface QueuedAppend {
  append: PendingAppend;
  resolve(result: AppendResult): void;
  reject(error: unknown): void;
}

/**
 * Group commit: appends wait in a queue, and each transaction writes all that
 * the queue held when it started, so one commit (one fsync, one turn of the
 * append lock) serves many appends, each still with its own revision check and
 * its own outcome. One transaction at a time per process: what arrives
 * meanwhile makes the next batch. Other processes' writers meet this one at
 * the append lock.
 */
export class GroupCommitWriter {
  private queue: QueuedAppend[] = [];
  private flushing: Promise<void> | null = null;

  constructor(
    private readonly pool: Pool,
    /** Bounds a transaction; an append larger than this still goes, alone. */
    private readonly maxEventsPerTransaction: number,
    private readonly onCommitted: () => void,
  ) {}

  append(append: PendingAppend): Promise<AppendResult> {
    return new Promise((resolve, reject) => {
      this.queue.push({ append, resolve, reject });
      // Start on the next microtask so that appends issued together share the first transaction.
      this.flushing ??= Promise.resolve().then(() => this.flush());
    });
  }

  /** Resolves once every append queued so far has its outcome. */
  async drain(): Promise<void> {
    await this.flushing;
  }

  private async flush(): Promise<void> {
    while (this.queue.length > 0) {
      await this.writeIsolated(this.takeBatch());
    }
    this.flushing = null;
  }

  private takeBatch(): QueuedAppend[] {
    let events = 0;
    let count = 0;
    while (count < this.queue.length) {
      events += this.queue[count].append.events.length;
      if (count > 0 && events > this.maxEventsPerTransaction) break;
      count++;
    }
    return this.queue.splice(0, count);
  }

  /** Never rejects: every failure is handed to the appends it belongs to. */
  private async writeIsolated(batch: QueuedAppend[]): Promise<void> {
    let written: WrittenBatch;
    try {
      written = await this.writeBatch(batch.map((queued) => queued.append));
    } catch (error) {
      if (batch.length === 1) return batch[0].reject(error);
      // The database refused the whole batch (a value it cannot store, a lost
      // connection): write each append alone so only the culprit fails. An
      // append whose commit did land is found again by its ids, idempotently.
      for (const queued of batch) await this.writeIsolated([queued]);
      return;
    }
    written.outcomes.forEach((outcome, index) => {
      if (outcome.kind === 'failed') batch[index].reject(outcome.error);
      else batch[index].resolve(appendResult(outcome, written.head));
    });
  }

  private async writeBatch(appends: readonly PendingAppend[]): Promise<WrittenBatch> {
    // Optimistic first; if another writer changed one of the batch's streams
    // meanwhile, again under the lock, where that cannot happen.
    const written =
      (await appendOptimistically(this.pool, appends)) ?? (await inTransaction(this.pool, (client) => writeAppends(client, appends)));
    if (written.outcomes.some((outcome) => outcome.kind === 'written')) this.onCommitted();
    return written;
  }
}
