import { Pool } from 'pg';
import { AppendResult } from '../event-store.port';
import { AppendOutcome, PendingAppend } from './append-decision';
import { writeAppends } from './append-transaction';
import { inTransaction } from './transaction';

interface QueuedAppend {
  append: PendingAppend;
  resolve(result: AppendResult): void;
  reject(error: unknown): void;
}

/**
 * Group commit: appends that arrive while a transaction is in flight wait in a
 * queue and are all written by the next transaction, so one fsync and one
 * round of the append lock serve many appends. Each append still gets its own
 * revision check and its own outcome. One transaction at a time per process;
 * other processes' writers queue on the append lock.
 */
export class GroupCommitWriter {
  private queue: QueuedAppend[] = [];
  private flushing: Promise<void> | null = null;

  constructor(
    private readonly pool: Pool,
    /** Bounds a transaction's size; an append larger than this still goes, alone. */
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
    let outcomes: AppendOutcome[];
    try {
      outcomes = await this.writeBatch(batch);
    } catch (error) {
      if (batch.length === 1) return batch[0].reject(error);
      // The database refused the whole batch (a value it cannot store, a lost
      // connection): write each append alone so only the culprit fails. An
      // append whose commit did land is found again by its ids, idempotently.
      for (const queued of batch) await this.writeIsolated([queued]);
      return;
    }
    outcomes.forEach((outcome, index) => {
      if (outcome.ok) batch[index].resolve(outcome.result);
      else batch[index].reject(outcome.error);
    });
  }

  private async writeBatch(batch: readonly QueuedAppend[]): Promise<AppendOutcome[]> {
    const outcomes = await inTransaction(this.pool, (client) => writeAppends(client, batch.map((queued) => queued.append)));
    if (outcomes.some((outcome) => outcome.ok)) this.onCommitted();
    return outcomes;
  }
}
