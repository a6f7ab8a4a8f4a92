import type { AllSubscription, EventStore, RecordedEvent } from '@ledger/event-store';
import type { Client } from 'pg';
import { createStagingTables, fetchBatch, foldAndWrite, type FetchedBatch } from './batch-writer';
import {
  advanceCheckpoint,
  CHECKPOINT_CHANNEL,
  findGeneration,
  indexGeneration,
  switchToGeneration,
  type Generation,
} from './generations';
import type { Projection } from './projection';
import { QueryQueue } from './query-queue';

export interface WorkerOptions {
  /** Events per read and per transaction: bounds memory and transaction size. */
  readonly batchSize: number;
  /**
   * Commit without waiting for the WAL flush. Safe for projections: rows and
   * checkpoint commit together, so a server crash loses both and the runner
   * folds those events again.
   */
  readonly asynchronousCommit: boolean;
  /** How often an idle live worker checks that its generations are still its to feed. */
  readonly idleCheckMs: number;
  /** End once every building generation has switched in, instead of following the log (the rebuild CLI). */
  readonly untilSwitched?: boolean;
  readonly onBatch?: (feeds: readonly Feed[]) => void;
  readonly onSwitch?: (projection: Projection, activated: Generation, retired: Generation | undefined) => void;
  readonly log?: (message: string) => void;
}

/** One generation this worker feeds, with the checkpoint it has committed. */
export interface Feed {
  readonly projection: Projection;
  generation: Generation;
  checkpoint: bigint;
}

/** Thrown when a batch had to be abandoned because a generation was retired or taken over. */
class FeedLost extends Error {
  constructor(readonly feed: Feed) {
    super(`Generation ${feed.generation.id} of ${feed.projection.name} is no longer fed from here`);
  }
}

/**
 * Feeds a set of generations from the global log over one connection, which
 * holds their advisory locks. It catches up with bounded `readAll` batches
 * (reading the next batch while it writes this one), then follows
 * `subscribeToAll`. Each batch is one transaction holding every generation's
 * rows and checkpoints, so a crash neither loses an event nor folds it twice.
 * A building generation that has caught up switches itself in and goes live.
 */
export class ProjectionWorker {
  private readonly feeds: Feed[];
  /** Every statement on the connection goes through it, in order. */
  private readonly queue: QueryQueue;
  private stopped = false;
  private subscription?: AllSubscription;
  private wakeUp?: () => void;

  constructor(
    client: Client,
    private readonly store: EventStore,
    feeds: readonly Feed[],
    private readonly options: WorkerOptions,
  ) {
    this.feeds = [...feeds];
    this.queue = new QueryQueue(client);
  }

  get generations(): readonly Generation[] {
    return this.feeds.map((feed) => feed.generation);
  }

  async run(): Promise<void> {
    for (const feed of this.feeds) await createStagingTables(this.queue, feed.projection, feed.generation.schema);
    while (!this.stopped && this.feeds.length > 0) {
      await this.catchUp();
      if (this.stopped || this.feeds.length === 0) break;
      if (!(await this.switchCaughtUpBuilds())) continue;
      if (this.options.untilSwitched) return;
      await this.followLive();
    }
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.wakeUp?.();
    await this.subscription?.close();
  }

  private lowestCheckpoint(): bigint {
    return this.feeds.reduce((lowest, feed) => (feed.checkpoint < lowest ? feed.checkpoint : lowest), this.feeds[0].checkpoint);
  }

  /** Reads and folds bounded batches until a read comes back short: the log's head. */
  private async catchUp(): Promise<void> {
    const { batchSize } = this.options;
    let next = this.store.readAll({ fromPosition: this.lowestCheckpoint() + 1n, maxCount: batchSize });
    while (!this.stopped && this.feeds.length > 0) {
      const events = await next;
      const full = events.length === batchSize;
      if (full) next = this.store.readAll({ fromPosition: events[events.length - 1].position + 1n, maxCount: batchSize });
      if (events.length > 0) await this.applyBatch(events);
      if (!full) return;
    }
    // Settle the read in flight so its rejection, if any, is not left unhandled.
    await next.catch(() => undefined);
  }

  /**
   * Switches in every building generation that has caught up; true when all
   * that remain are active, so the worker can follow the log live.
   */
  private async switchCaughtUpBuilds(): Promise<boolean> {
    for (const feed of this.feeds.filter((candidate) => candidate.generation.status === 'building')) {
      if (!feed.generation.indexed) {
        await indexGeneration(this.queue, feed.projection, feed.generation);
        feed.generation = { ...feed.generation, indexed: true };
        return false; // indexing took time: catch up again before comparing checkpoints
      }
      const outcome = await switchToGeneration(this.queue, feed.projection, { ...feed.generation, checkpoint: feed.checkpoint });
      if (!outcome.switched) return false;
      feed.generation = { ...feed.generation, status: 'active', checkpoint: feed.checkpoint };
      this.options.onSwitch?.(feed.projection, feed.generation, outcome.retired);
    }
    return true;
  }

  /** Folds events as the subscription delivers them, in batches of whatever has arrived. */
  private async followLive(): Promise<void> {
    const queue: RecordedEvent[] = [];
    let ended = false;
    let failure: unknown;
    const subscription = this.store.subscribeToAll({ fromPosition: this.lowestCheckpoint() });
    this.subscription = subscription;
    let resume: (() => void) | undefined;
    const pump = (async () => {
      for await (const event of subscription) {
        queue.push(event);
        this.wakeUp?.();
        // Back-pressure: stop pulling while a few batches wait, so memory stays bounded.
        while (queue.length >= this.options.batchSize * 2 && !this.stopped) await new Promise<void>((r) => (resume = r));
      }
    })()
      .catch((error: unknown) => (failure = error))
      .finally(() => {
        ended = true;
        this.wakeUp?.();
      });
    try {
      while (!this.stopped && this.feeds.length > 0 && !ended) {
        if (queue.length === 0) {
          const woken = await this.sleepUntilWoken(this.options.idleCheckMs);
          if (!woken) await this.dropLostFeeds();
          continue;
        }
        await this.applyBatch(queue.splice(0, this.options.batchSize));
        resume?.();
      }
    } finally {
      await subscription.close();
      resume?.();
      await pump;
    }
    if (failure !== undefined && !this.stopped) throw failure;
  }

  private sleepUntilWoken(ms: number): Promise<boolean> {
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.wakeUp = undefined;
        resolve(false);
      }, ms);
      this.wakeUp = () => {
        clearTimeout(timer);
        this.wakeUp = undefined;
        resolve(true);
      };
    });
  }

  /** Stops feeding generations that a switch retired while this worker was idle. */
  private async dropLostFeeds(): Promise<void> {
    for (const feed of [...this.feeds]) {
      const current = await findGeneration(this.queue, feed.generation.id);
      if (!current || current.status === 'retired') this.removeFeed(feed);
    }
  }

  private removeFeed(feed: Feed): void {
    const index = this.feeds.indexOf(feed);
    if (index >= 0) this.feeds.splice(index, 1);
    this.options.log?.(`stopped feeding ${feed.projection.name} generation ${feed.generation.id}`);
  }

  /** Retries without a generation that was retired or taken over, so the others still advance. */
  private async applyBatch(events: readonly RecordedEvent[]): Promise<void> {
    for (;;) {
      try {
        await this.applyBatchOnce(events);
        this.options.onBatch?.(this.feeds);
        return;
      } catch (error) {
        if (!(error instanceof FeedLost)) throw error;
        this.removeFeed(error.feed);
        if (this.feeds.length === 0) return;
      }
    }
  }

  private async applyBatchOnce(events: readonly RecordedEvent[]): Promise<void> {
    const last = events[events.length - 1].position;
    const due = this.feeds.filter((feed) => feed.checkpoint < last);
    if (due.length === 0) return;
    const queue = this.queue;
    await queue.run(this.options.asynchronousCommit ? 'BEGIN; SET LOCAL synchronous_commit = off' : 'BEGIN');
    // Every projection's reads are queued first, so folding one overlaps writing the previous one.
    const fetched = due.map((feed) => this.fetch(queue, feed, events));
    try {
      const failures = [];
      for (const [index, feed] of due.entries()) {
        const batch = await fetched[index];
        failures.push(foldAndWrite(queue, feed.projection, feed.generation.schema, batch).failure);
      }
      const failure = (await Promise.all(failures)).find((error) => error !== null);
      if (failure) throw failure;
      for (const feed of due) {
        if (!(await advanceCheckpoint(queue, feed.generation, feed.checkpoint, last))) throw new FeedLost(feed);
      }
      await queue.query('SELECT pg_notify($1, $2)', [CHECKPOINT_CHANNEL, String(last)]);
      await queue.run('COMMIT');
    } catch (error) {
      await Promise.allSettled(fetched);
      // Queued behind every write of the batch, so nothing can run after it outside the transaction.
      await queue.run('ROLLBACK').catch(() => undefined);
      throw error;
    }
    for (const feed of due) feed.checkpoint = last;
  }

  private fetch(queue: QueryQueue, feed: Feed, events: readonly RecordedEvent[]): Promise<FetchedBatch> {
    const unseen = feed.checkpoint < events[0].position ? events : events.filter((event) => event.position > feed.checkpoint);
    return fetchBatch(queue, feed.projection, feed.generation.schema, unseen);
  }
}
