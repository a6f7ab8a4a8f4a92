import { guardedPool } from '@ledger/platform';
import type { Pool } from 'pg';
import {
  AllSubscription,
  AppendOptions,
  AppendResult,
  EventStore,
  NewEvent,
  Position,
  ReadAllOptions,
  ReadStreamOptions,
  RecordedEvent,
  SubscribeToAllOptions,
} from '../event-store.port';
import { GroupCommitWriter } from './group-commit-writer';
import { LogListener } from './log-listener';
import type { StoredLogEntry } from '../log-entry';
import { LogReader, recordedEventOfStoredEntry } from './log-reader';
import { LogWakeups } from './log-wakeups';
import { StreamReadBatcher } from './stream-read-batcher';
import { migrateEventStore } from './migrations';
import { LogFeed, PostgresAllSubscription } from './postgres-all-subscription';
import { prepareAppend } from './prepare-append';

export interface PostgresEventStoreOptions {
  /** Most events one group-commit transaction writes; a larger single append still goes, alone. Default 2000. */
  maxEventsPerTransaction?: number;
  /** Most events a subscription reads, and holds in memory, at a time. Default 500. */
  subscriptionBatchSize?: number;
  /** Longest a caught-up subscription waits for a notification before reading again anyway. Default 1000 ms. */
  pollIntervalMs?: number;
  /** Connections in the pool the store builds from a connection string. Default 10. */
  poolSize?: number;
}

/**
 * The event store on PostgreSQL (schema `event_store`). Call `migrate()` once
 * at start. Appends from every process are serialised by one advisory lock
 * and batched by group commit; see log-writer.ts for why.
 */
export class PostgresEventStore implements EventStore {
  private readonly pool: Pool;
  private readonly ownsPool: boolean;
  private readonly reader: LogReader;
  /** Whole-stream reads of one turn in one query. */
  private readonly streamReads: StreamReadBatcher;
  private readonly writer: GroupCommitWriter;
  private readonly wakeups = new LogWakeups();
  private readonly listener: LogListener;
  private readonly subscriptions = new Set<PostgresAllSubscription>();
  private readonly options: Required<Omit<PostgresEventStoreOptions, 'poolSize'>>;
  private closed = false;

  /** A Pool passed in stays the caller's to end; one built from a connection string is ended by close(). */
  constructor(connection: Pool | string, options: PostgresEventStoreOptions = {}) {
    this.ownsPool = typeof connection === 'string';
    this.pool = typeof connection === 'string' ? ownPool(connection, options.poolSize ?? 10) : connection;
    this.options = {
      maxEventsPerTransaction: options.maxEventsPerTransaction ?? 2000,
      subscriptionBatchSize: options.subscriptionBatchSize ?? 500,
      pollIntervalMs: options.pollIntervalMs ?? 1000,
    };
    this.reader = new LogReader(this.pool);
    this.streamReads = new StreamReadBatcher((streamIds) => this.reader.readStreams(streamIds));
    this.writer = new GroupCommitWriter(this.pool, this.options.maxEventsPerTransaction, () => this.wakeups.signal());
    this.listener = new LogListener(this.pool, () => this.wakeups.signal());
  }

  /** Creates or upgrades the schema; idempotent, and safe when several processes start at once. */
  migrate(): Promise<void> {
    return migrateEventStore(this.pool);
  }

  async appendToStream(streamId: string, events: readonly NewEvent[], options: AppendOptions = {}): Promise<AppendResult> {
    this.assertOpen();
    return this.writer.append(prepareAppend(streamId, events, options.expectedRevision ?? 'any'));
  }

  readStream(streamId: string, options?: ReadStreamOptions): Promise<RecordedEvent[]> {
    const whole = options === undefined || (options.direction !== 'backwards' && options.fromRevision === undefined && options.maxCount === undefined);
    return whole ? this.streamReads.read(streamId) : this.reader.readStream(streamId, options);
  }

  async readStreams(streamIds: readonly string[]): Promise<Map<string, RecordedEvent[]>> {
    const distinct = [...new Set(streamIds)];
    const read = await Promise.all(distinct.map((streamId) => this.streamReads.read(streamId)));
    return new Map(distinct.map((streamId, index) => [streamId, read[index]]));
  }

  readAll(options?: ReadAllOptions): Promise<RecordedEvent[]> {
    return this.reader.readAll(options);
  }

  /**
   * Not part of the port: up to `maxCount` events of $all after
   * `afterPosition` (exclusive; omitted, from the start), system events
   * included as readAll includes them, each with its log entry as its stored
   * texts make it, none parsed: the RFC 8785 envelope around the data and
   * metadata exactly as stored. For `verify`, which needs an event's bytes,
   * not its objects. For what this store writes (RFC 8785 text) the entry is
   * logEntryOf of the event readAll gives; for a row stored otherwise (by an
   * older version, by hand) it is other bytes. storedEntryToRecordedEvent
   * gives the event readAll gives for such a row.
   */
  readAllStoredEntries(afterPosition: Position | undefined, maxCount: number): Promise<StoredLogEntry[]> {
    return this.reader.readAllStoredEntries(afterPosition, maxCount);
  }

  /** The event readAll gives for a row readAllStoredEntries gave. */
  storedEntryToRecordedEvent(row: StoredLogEntry): RecordedEvent {
    return recordedEventOfStoredEntry(row);
  }

  headPosition(): Promise<Position> {
    return this.reader.headPosition();
  }

  subscribeToAll(options: SubscribeToAllOptions = {}): AllSubscription {
    this.assertOpen();
    const limits = { batchSize: this.options.subscriptionBatchSize, pollIntervalMs: this.options.pollIntervalMs };
    const subscription = new PostgresAllSubscription(this.feed, options, limits, (closed) => this.subscriptions.delete(closed));
    this.subscriptions.add(subscription);
    return subscription;
  }

  /** Lets queued appends finish, ends subscriptions, and ends the pool if the store built it. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.writer.drain();
    await Promise.all([...this.subscriptions].map((subscription) => subscription.close()));
    await this.listener.close();
    if (this.ownsPool) await this.pool.end();
  }

  private readonly feed: LogFeed = {
    readPage: (after, eventTypes, limit) => this.reader.readPage(after, eventTypes, limit),
    changeGeneration: () => this.wakeups.currentGeneration(),
    waitForChange: (seenGeneration, timeoutMs, abort) => {
      this.listener.ensureListening();
      return this.wakeups.wait(seenGeneration, timeoutMs, abort);
    },
  };

  private assertOpen(): void {
    if (this.closed) throw new Error('The event store is closed');
  }
}

/**
 * The pool drops an idle connection that the server ends (a restart, a
 * failover, a shutdown racing close()) and opens a new one when next needed;
 * without a listener, that 'error' event would crash the process.
 */
function ownPool(connectionString: string, size: number): Pool {
  return guardedPool({ connectionString, max: size }, () => undefined);
}
