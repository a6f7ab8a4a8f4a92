import type { AllSubscription, EventStore, RecordedEvent } from '@ledger/event-store';
import { isTransientStorageFailure } from '@ledger/platform';
import type { Client } from 'pg';
import type { BatchRows } from './batch-rows';
import { createStagingTables, encodeWrites, foldBatch, queueWrite, type Write } from './batch-writer';
import {
  advanceCheckpointStatement,
  CHECKPOINT_CHANNEL,
  CHECKPOINT_MOVED,
  findGeneration,
  indexStatements,
  markIndexed,
  switchToGeneration,
  type Generation,
} from './generations';
import { describeFailure, parkStatement, REPLAY_CHANNEL, replayRequested, type EventFailure } from './parked-events';
import { followPaceOf, handles, type Projection } from './projection';
import { QueryQueue } from './query-queue';
import { readableEvents, type PersonalDataOpener } from './readable-event';

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
  /** Opens another connection to the read-model database: for reads beside the write transaction, and index builds. */
  readonly connect: () => Promise<Client>;
  readonly onBatch?: (feeds: readonly Feed[]) => void;
  readonly onSwitch?: (projection: Projection, activated: Generation, retired: Generation | undefined) => void;
  /**
   * An event that fails to fold or write (for a reason other than the store
   * being away) is tried this many times in all, waiting `firstDelayMs`,
   * then twice as long each time, before it is parked.
   */
  readonly retry?: RetryPolicy;
  readonly log?: (message: string, level?: LogLevel) => void;
  /** Opens personal data before folds see it; without it, sealed personal data reads as erased. */
  readonly personalData?: PersonalDataOpener;
}

export type LogLevel = 'info' | 'warn' | 'error';

export interface RetryPolicy {
  readonly attempts: number;
  readonly firstDelayMs: number;
}

/** About 1.5 s from the first failure to parking: long enough for a passing fault, short enough not to hold the read side up. */
export const DEFAULT_RETRY: RetryPolicy = { attempts: 4, firstDelayMs: 200 };

/** One generation this worker feeds, with the checkpoint it has committed. */
export interface Feed {
  readonly projection: Projection;
  generation: Generation;
  checkpoint: bigint;
}

/**
 * One generation's share of a batch: folded rows and their encoded writes,
 * or the failure that stopped the fold. `isolated` records that the batch
 * was instead folded event by event (see isolate), so the next batch,
 * folded on top of this one's rows in memory, must be folded again.
 */
interface BatchPart {
  readonly feed: Feed;
  readonly from: bigint;
  readonly rows?: BatchRows;
  readonly writes?: Write[];
  failure?: unknown;
  isolated?: boolean;
}

/** A batch folded in memory and its writes encoded, not yet sent. */
interface FoldedBatch {
  readonly last: bigint;
  /** The batch's events, as folds read them. */
  readonly events: readonly RecordedEvent[];
  /** The same events as stored, for projections that read them so (the verifiable log). */
  readonly stored: readonly RecordedEvent[];
  readonly parts: BatchPart[];
}

/** Thrown when a generation was retired or taken over: the worker stops feeding it and carries on with the others. */
class FeedLost extends Error {
  constructor(readonly feed: Feed) {
    super(`Generation ${feed.generation.id} of ${feed.projection.name} is no longer fed from here`);
  }
}

/** The longest wait between two tries at an event a projection that never parks keeps failing on. */
const MAX_BACKOFF_MS = 30_000;

/** The events of a batch as this feed's projection reads them. */
function eventsFor(feed: Feed, batch: Pick<FoldedBatch, 'events' | 'stored'>): readonly RecordedEvent[] {
  return feed.projection.readsStoredEvents ? batch.stored : batch.events;
}

/** Unwinds a worker that was asked to stop while it waited to try an event again. */
class WorkerStopping extends Error {}

/** Concurrent index builds at the end of a rebuild; PostgreSQL sorts each on its own core. */
const INDEX_BUILDERS = 2;

/**
 * Feeds a set of generations from the global log. One connection holds
 * their advisory locks; another reads rows for the folds; each generation
 * writes on a connection of its own, its rows and its checkpoint in one
 * transaction per batch, so a crash neither loses an event nor folds it
 * twice, and PostgreSQL writes the projections in parallel.
 *
 * Catching up, it reads bounded batches with `readAll` and overlaps three
 * things: the log read of batch k+1, the fold of batch k in memory (rows
 * batch k-1 wrote come from memory, the rest from the database), and the
 * writes of batch k-1 in PostgreSQL. Caught up, it follows `subscribeToAll`.
 * A building generation that has caught up builds its indexes, switches
 * itself in and goes live.
 */
export class ProjectionWorker {
  private readonly feeds: Feed[];
  /** The connection holding the advisory locks: switches and status checks. */
  private readonly control: QueryQueue;
  /** One writing connection per generation, so PostgreSQL writes the projections' batches in parallel. */
  private readonly writers = new Map<Feed, QueryQueue>();
  private reader?: QueryQueue;
  private readonly extraClients: Client[] = [];
  private stopped = false;
  private subscription?: AllSubscription;
  private wakeUp?: () => void;
  /** An operator asked for parked events to be replayed (notification on REPLAY_CHANNEL). */
  private replayWanted = true;
  /** Ends the backoff under way before another try at a failing event, when the worker is stopped. */
  private cutPause?: () => void;

  constructor(
    client: Client,
    private readonly store: EventStore,
    feeds: readonly Feed[],
    private readonly options: WorkerOptions,
  ) {
    this.feeds = [...feeds];
    this.control = new QueryQueue(client);
    client.on('notification', (message) => {
      if (message.channel !== REPLAY_CHANNEL) return;
      this.replayWanted = true;
      this.wakeUp?.();
    });
  }

  async run(): Promise<void> {
    try {
      await this.openConnections();
      while (!this.stopped && this.feeds.length > 0) {
        if (!(await this.recovering(() => this.catchUp()))) continue;
        if (this.stopped || this.feeds.length === 0) break;
        if (!(await this.switchCaughtUpBuilds())) continue;
        if (this.options.untilSwitched) return;
        // Built together, followed apart: generations that follow the log at another pace (Projection.followEveryMs)
        // go back to the runner, whose next tick feeds them by pace, each on a worker of its own.
        if (new Set(this.feeds.map((feed) => followPaceOf(feed.projection))).size > 1) return;
        await this.recovering(() => this.followLive());
      }
    } catch (error) {
      if (!(error instanceof WorkerStopping)) throw error;
    } finally {
      await Promise.all(this.extraClients.map((client) => client.end().catch(() => undefined)));
    }
  }

  /**
   * A reader, and a writer per generation with its staging tables. Writers
   * need not hold the advisory locks: the checkpoint guard in each batch's
   * transaction refuses a batch from anyone but the feeder at the checkpoint.
   */
  private async openConnections(): Promise<void> {
    const open = async () => {
      const client = await this.options.connect();
      this.extraClients.push(client);
      return new QueryQueue(client);
    };
    this.reader = await open();
    await this.control.run(`LISTEN ${REPLAY_CHANNEL}`);
    for (const feed of this.feeds) {
      const writer = await open();
      await createStagingTables(writer, feed.projection, feed.generation.schema);
      this.writers.set(feed, writer);
    }
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.wakeUp?.();
    this.cutPause?.();
    await this.subscription?.close();
  }

  /** Runs a phase; a lost generation is dropped and the phase reported unfinished, so the loop starts over from the checkpoints. */
  private async recovering(phase: () => Promise<void>): Promise<boolean> {
    try {
      await phase();
      return true;
    } catch (error) {
      if (!(error instanceof FeedLost)) throw error;
      this.removeFeed(error.feed);
      return false;
    }
  }

  private lowestCheckpoint(): bigint {
    return this.feeds.reduce((lowest, feed) => (feed.checkpoint < lowest ? feed.checkpoint : lowest), this.feeds[0].checkpoint);
  }

  /** Reads, folds and writes bounded batches, overlapped, until a read comes back short: the log's head. */
  private async catchUp(): Promise<void> {
    const { batchSize } = this.options;
    let next = this.store.readAll({ afterPosition: this.lowestCheckpoint(), maxCount: batchSize });
    let writing: { batch: FoldedBatch; done: Promise<void> } | undefined;
    try {
      while (!this.stopped && this.feeds.length > 0) {
        const events = await next;
        const full = events.length === batchSize;
        if (full) next = this.store.readAll({ afterPosition: events[events.length - 1].position, maxCount: batchSize });
        if (events.length > 0) {
          let folded = await this.fold(events, writing?.batch);
          if (writing) {
            await writing.done;
            folded = await this.refoldAfterIsolation(folded, writing.batch);
          }
          writing = { batch: folded, done: this.write(folded) };
          // Marked handled now; awaited (and so rethrown) before the next batch queues its writes.
          writing.done.catch(() => undefined);
        }
        if (!full) break;
      }
      if (writing) await writing.done;
    } finally {
      // Settle the read and the writes in flight, so that nothing is left running or unhandled.
      await next.catch(() => undefined);
      await writing?.done.catch(() => undefined);
    }
  }

  /**
   * Folds a batch for every generation it concerns (or those of `only`).
   * `previous` is the batch whose writes may still be running: rows it
   * touched come from its memory. Events are made readable first (upcast,
   * displayable text), once for all generations. A fold that fails is kept
   * as the part's failure, for write() to isolate; the store being away
   * fails the whole batch.
   */
  private async fold(stored: readonly RecordedEvent[], previous?: FoldedBatch, only?: readonly Feed[]): Promise<FoldedBatch> {
    const events = this.feeds.some((feed) => !feed.projection.readsStoredEvents) ? await readableEvents(stored, this.options.personalData) : stored;
    const last = events[events.length - 1].position;
    const due = this.feeds.filter((feed) => throughOf(feed, previous) < last && (!only || only.includes(feed)));
    const parts = await Promise.all(
      due.map(async (feed): Promise<BatchPart> => {
        const from = throughOf(feed, previous);
        const source = eventsFor(feed, { events, stored });
        const unseen = from < source[0].position ? source : source.filter((event) => event.position > from);
        const before = previous?.parts.find((part) => part.feed === feed)?.rows;
        try {
          const rows = await foldBatch(this.reader!, feed.projection, feed.generation.schema, unseen, before);
          return { feed, from, rows, writes: encodeWrites(feed.generation.schema, rows) };
        } catch (error) {
          if (isTransientStorageFailure(error)) throw error;
          return { feed, from, failure: error };
        }
      }),
    );
    return { last, events, stored, parts };
  }

  /**
   * A batch folded on top of `written` in memory assumed that `written`
   * would commit as folded. Where a generation's part of it was isolated
   * instead (an event parked, say), this batch is folded again for that
   * generation, from what is now committed.
   */
  private async refoldAfterIsolation(folded: FoldedBatch, written: FoldedBatch): Promise<FoldedBatch> {
    const stale = written.parts.filter((part) => part.isolated).map((part) => part.feed);
    if (stale.length === 0) return folded;
    const again = await this.fold(folded.stored, undefined, stale);
    return { ...folded, parts: [...folded.parts.filter((part) => !stale.includes(part.feed)), ...again.parts] };
  }

  /**
   * Writes each generation's part of the batch in its own transaction, all
   * at once on their own connections; resolves once every part committed
   * or was isolated. Only the store being away, or a generation lost to
   * another feeder, makes it fail.
   */
  private async write(batch: FoldedBatch): Promise<void> {
    const results = await Promise.allSettled(batch.parts.map((part) => this.writeOrIsolate(part, batch)));
    const failure = results.find((result): result is PromiseRejectedResult => result.status === 'rejected');
    if (failure) throw failure.reason;
    if (batch.parts.length > 0) this.options.onBatch?.(this.feeds);
  }

  private async writeOrIsolate(part: BatchPart, batch: FoldedBatch): Promise<void> {
    if (part.failure === undefined) {
      try {
        await this.writePart(part, batch.last);
        part.feed.checkpoint = batch.last;
        return;
      } catch (error) {
        if (error instanceof FeedLost || isTransientStorageFailure(error)) throw error;
        part.failure = error;
      }
    }
    const { feed } = part;
    this.log(`${feed.projection.name}: the batch after ${part.from} through ${batch.last} failed (${describeFailure(part.failure)}); folding its events one at a time`, 'warn');
    await this.isolate(feed, eventsFor(feed, batch), batch.last);
    part.isolated = true;
  }

  /**
   * Folds and writes a failed batch's events one at a time, each in its own
   * transaction, so that only an event that fails on its own is set aside:
   * it is tried again with backoff, then parked (its row in parked_events
   * written in the transaction that moves the checkpoint past it) and the
   * projection goes on with the next.
   */
  private async isolate(feed: Feed, events: readonly RecordedEvent[], last: bigint): Promise<void> {
    for (const event of events) {
      if (event.position <= feed.checkpoint || !handles(feed.projection, event.type)) continue;
      await this.foldAlone(feed, event);
    }
    if (feed.checkpoint < last) {
      await this.writePart({ feed, from: feed.checkpoint, writes: [] }, last);
      feed.checkpoint = last;
    }
  }

  private async foldAlone(feed: Feed, event: RecordedEvent): Promise<void> {
    const { attempts, firstDelayMs } = this.options.retry ?? DEFAULT_RETRY;
    const { projection, generation } = feed;
    let firstFailedAt: Date | undefined;
    for (let attempt = 1; ; attempt += 1) {
      try {
        const rows = await foldBatch(this.reader!, projection, generation.schema, [event]);
        await this.writePart({ feed, from: feed.checkpoint, writes: encodeWrites(generation.schema, rows) }, event.position);
        feed.checkpoint = event.position;
        return;
      } catch (error) {
        if (error instanceof FeedLost || isTransientStorageFailure(error)) throw error;
        firstFailedAt ??= new Date();
        if (attempt >= attempts && !projection.neverParks) return this.park(feed, event, { error, attempts: attempt, firstFailedAt });
        const level = attempt >= attempts ? 'error' : 'warn';
        this.log(`${projection.name}: event at ${event.position} (${event.type}) failed, attempt ${attempt}: ${describeFailure(error)}`, level);
        await this.pause(Math.min(firstDelayMs * 2 ** (attempt - 1), MAX_BACKOFF_MS));
      }
    }
  }

  /** Sets the event aside and moves the checkpoint past it, in one transaction. */
  private async park(feed: Feed, event: RecordedEvent, failure: EventFailure): Promise<void> {
    await this.writePart({ feed, from: feed.checkpoint, writes: [parkStatement(feed.generation, feed.projection, event, failure)] }, event.position);
    feed.checkpoint = event.position;
    this.log(
      `${feed.projection.name}: parked the event at position ${event.position} (id ${event.id}, ${event.type}) after ${failure.attempts} attempts: ` +
        `${describeFailure(failure.error)}. The projection goes on; \`projections parked\` lists it, \`projections replay\` folds it again after a fix.`,
      'error',
    );
  }

  /** Waits the whole backoff (new events arriving do not cut it short), unless the worker is asked to stop. */
  private async pause(ms: number): Promise<void> {
    await new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, ms);
      this.cutPause = () => {
        clearTimeout(timer);
        resolve();
      };
    });
    this.cutPause = undefined;
    if (this.stopped) throw new WorkerStopping();
  }

  /** Folds again the parked events an operator asked to replay, generation by generation. */
  private async serveReplays(): Promise<void> {
    this.replayWanted = false;
    for (const feed of this.feeds) {
      const target = {
        projection: feed.projection,
        generation: feed.generation,
        checkpoint: feed.checkpoint,
        reader: this.reader!,
        writer: this.writers.get(feed)!,
        personalData: this.options.personalData,
      };
      for (const outcome of await replayRequested(this.store, target)) {
        if (outcome.replayed) this.log(`${feed.projection.name}: replayed the parked event at position ${outcome.position}`);
        else this.log(`${feed.projection.name}: the parked event at position ${outcome.position} failed again: ${outcome.error}`, 'error');
      }
    }
  }

  private log(message: string, level: LogLevel = 'info'): void {
    this.options.log?.(message, level);
  }

  /**
   * Queues one generation's transaction (rows, checkpoint, notification,
   * COMMIT) without waiting in between, then checks every statement: after a
   * failed one PostgreSQL turns the COMMIT into a rollback, so nothing
   * half-done can persist.
   */
  private async writePart(part: Pick<BatchPart, 'feed' | 'from' | 'writes'>, last: bigint): Promise<void> {
    const writer = this.writers.get(part.feed)!;
    const begin = writer.run(this.options.asynchronousCommit ? 'BEGIN; SET LOCAL synchronous_commit = off' : 'BEGIN');
    const writes = (part.writes ?? []).map((write) => queueWrite(writer, write));
    const checkpoint = writer.query(advanceCheckpointStatement(part.feed.generation, part.from, last));
    const notify = writer.query('SELECT pg_notify($1, $2)', [CHECKPOINT_CHANNEL, String(last)]);
    const results = await Promise.allSettled([begin, ...writes, checkpoint, notify, writer.run('COMMIT')]);
    const failure = results.find((result): result is PromiseRejectedResult => result.status === 'rejected');
    if (!failure) return;
    // COMMIT may itself have failed or never run: make sure the session is out of the transaction.
    await writer.run('ROLLBACK').catch(() => undefined);
    const lost = await checkpoint.then(
      () => false,
      (error: { code?: string }) => error.code === CHECKPOINT_MOVED,
    );
    throw lost ? new FeedLost(part.feed) : failure.reason;
  }

  /**
   * Switches in every building generation that has caught up; true when all
   * that remain are active, so the worker can follow the log live.
   */
  private async switchCaughtUpBuilds(): Promise<boolean> {
    const building = this.feeds.filter((candidate) => candidate.generation.status === 'building');
    const unindexed = building.filter((feed) => !feed.generation.indexed);
    if (unindexed.length > 0) {
      await this.buildIndexes(unindexed);
      return false; // indexing took time: catch up again before comparing checkpoints
    }
    for (const feed of building) {
      const outcome = await switchToGeneration(this.control, feed.projection, { ...feed.generation, checkpoint: feed.checkpoint });
      if (!outcome.switched) return false;
      feed.generation = { ...feed.generation, status: 'active', checkpoint: feed.checkpoint };
      this.options.onSwitch?.(feed.projection, feed.generation, outcome.retired);
    }
    return true;
  }

  /**
   * Builds the deferred indexes of caught-up generations, index by index,
   * on a few connections of their own (each CREATE INDEX sorts on one core),
   * then refreshes their statistics.
   */
  private async buildIndexes(feeds: readonly Feed[]): Promise<void> {
    const statements = feeds.flatMap((feed) => indexStatements(feed.projection, feed.generation.schema));
    const builder = async () => {
      const client = await this.options.connect();
      try {
        // Sorting in memory, not on disk, is most of what makes a bulk index build fast.
        await client.query(`SET maintenance_work_mem = '128MB'`);
        for (let statement = statements.shift(); statement; statement = statements.shift()) await client.query(statement);
      } finally {
        await client.end().catch(() => undefined);
      }
    };
    await Promise.all(Array.from({ length: Math.min(INDEX_BUILDERS, statements.length) }, builder));
    for (const feed of feeds) {
      await markIndexed(this.control, feed.projection, feed.generation);
      feed.generation = { ...feed.generation, indexed: true };
    }
  }

  /** Folds events as the subscription delivers them, in batches of whatever has arrived. */
  private async followLive(): Promise<void> {
    const queue: RecordedEvent[] = [];
    let ended = false;
    let failure: unknown;
    // Every feed follows at the same pace here (run() hands mixed ones back to the runner).
    const coalesceMs = followPaceOf(this.feeds[0].projection);
    const subscription = this.store.subscribeToAll({ fromPosition: this.lowestCheckpoint(), coalesceMs });
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
        if (this.replayWanted) await this.serveReplays();
        if (queue.length === 0) {
          const woken = await this.sleepUntilWoken(this.options.idleCheckMs);
          if (!woken) {
            await this.dropLostFeeds();
            // Also the fallback for a replay request whose notification was missed.
            this.replayWanted = true;
          }
          continue;
        }
        await this.write(await this.fold(queue.splice(0, this.options.batchSize)));
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
      const current = await findGeneration(this.control, feed.generation.id);
      if (!current || current.status === 'retired') this.removeFeed(feed);
    }
  }

  private removeFeed(feed: Feed): void {
    const index = this.feeds.indexOf(feed);
    if (index >= 0) this.feeds.splice(index, 1);
    this.log(`stopped feeding ${feed.projection.name} generation ${feed.generation.id}`);
  }
}

/** The position a feed has folded through: its checkpoint, or the last event of a batch still being written. */
function throughOf(feed: Feed, writing: FoldedBatch | undefined): bigint {
  return writing?.parts.some((part) => part.feed === feed) ? writing.last : feed.checkpoint;
}
