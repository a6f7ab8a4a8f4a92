import { guardedPool } from '@ledger/platform';
import { Client, type Pool } from 'pg';
import { CHECKPOINT_CHANNEL, CONTROL_TABLE } from './generations';
import { ProjectionLagError } from './projection-lag.error';

export interface CheckpointWatcherOptions {
  readonly connectionString: string;
  /** Re-reads checkpoints this often while someone waits, in case a notification was missed. */
  readonly pollMs?: number;
  readonly log?: (message: string) => void;
}

interface Waiter {
  readonly position: bigint;
  readonly projections?: readonly string[];
  readonly resolve: (reached: bigint) => void;
}

/** Upper bound of any wait, whatever a caller asks for. */
export const MAX_WAIT_MS = 10_000;

/**
 * Knows how far the active read models have got, for read-your-writes. It
 * listens to the notification each batch sends on commit (wherever the
 * projector runs) and answers from memory when it can, so a query that asks
 * for a position already reached costs nothing.
 */
export class CheckpointWatcher {
  private readonly pool: Pool;
  private listener?: Client;
  private checkpoints = new Map<string, bigint>();
  private readonly waiters = new Set<Waiter>();
  private refreshing?: Promise<void>;
  private refreshAgain = false;
  private poller?: NodeJS.Timeout;
  private stopped = false;
  /** Checkpoint notifications (and reconnections) seen; read as changeCount() while the listener is up. */
  private changes = 0;
  private listening = false;

  constructor(private readonly options: CheckpointWatcherOptions) {
    this.pool = guardedPool({ connectionString: options.connectionString, max: 2 }, (error) => options.log?.(`checkpoint watcher: ${error.message}`));
  }

  async start(): Promise<void> {
    await this.listen();
    await this.refresh();
    this.poller = setInterval(() => {
      if (this.waiters.size > 0) void this.refresh().catch(() => undefined);
    }, this.options.pollMs ?? 250);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearInterval(this.poller);
    for (const waiter of this.waiters) waiter.resolve(this.lowest(waiter.projections));
    this.waiters.clear();
    await this.listener?.end().catch(() => undefined);
    await this.refreshing;
    await this.pool.end();
  }

  /** The position every active generation of these projections (all when omitted) has folded. */
  async reached(projections?: readonly string[]): Promise<bigint> {
    await this.refresh();
    return this.lowest(projections);
  }

  /**
   * Resolves with the position reached once it is at least `position`; throws
   * ProjectionLagError when that takes longer than `timeoutMs`.
   */
  async waitForPosition(position: bigint, timeoutMs: number, projections?: readonly string[]): Promise<bigint> {
    if (this.lowest(projections) >= position) return this.lowest(projections);
    await this.refresh();
    if (this.lowest(projections) >= position) return this.lowest(projections);
    const reached = await new Promise<bigint>((resolve) => {
      const waiter: Waiter = { position, projections, resolve: (value) => done(value) };
      const timer = setTimeout(() => done(this.lowest(projections)), Math.min(timeoutMs, MAX_WAIT_MS));
      const done = (value: bigint) => {
        clearTimeout(timer);
        this.waiters.delete(waiter);
        resolve(value);
      };
      this.waiters.add(waiter);
    });
    if (reached < position) throw new ProjectionLagError(position, reached, 1);
    return reached;
  }

  /**
   * A number that moves with every checkpoint notification (any projection
   * may have committed) and every reconnection of the listener (it may have
   * missed some); undefined while the listener is down. For answer caches
   * (libs/read-models AnswerCache): an answer read while it was n stands
   * until it moves.
   */
  changeCount(): number | undefined {
    return this.listening ? this.changes : undefined;
  }

  /** The checkpoint last read for a projection: a lower bound of where it is. */
  knownPosition(projection: string): bigint {
    return this.checkpoints.get(projection) ?? -1n;
  }

  private lowest(projections?: readonly string[]): bigint {
    const names = projections ?? [...this.checkpoints.keys()];
    let lowest: bigint | undefined;
    for (const name of names) {
      const checkpoint = this.checkpoints.get(name) ?? -1n;
      if (lowest === undefined || checkpoint < lowest) lowest = checkpoint;
    }
    return lowest ?? -1n;
  }

  /** One query at a time; a notification during a refresh asks for one more. */
  private refresh(): Promise<void> {
    if (this.refreshing) {
      this.refreshAgain = true;
      return this.refreshing;
    }
    this.refreshing = (async () => {
      do {
        this.refreshAgain = false;
        const { rows } = await this.pool.query<{ projection: string; checkpoint: string }>(
          `SELECT projection, checkpoint FROM ${CONTROL_TABLE} WHERE status = 'active'`,
        );
        this.checkpoints = new Map(rows.map((row) => [row.projection, BigInt(row.checkpoint)]));
        this.wakeWaiters();
      } while (this.refreshAgain && !this.stopped);
    })().finally(() => (this.refreshing = undefined));
    return this.refreshing;
  }

  private wakeWaiters(): void {
    for (const waiter of [...this.waiters]) {
      const reached = this.lowest(waiter.projections);
      if (reached >= waiter.position) waiter.resolve(reached);
    }
  }

  private async listen(): Promise<void> {
    const listener = new Client({ connectionString: this.options.connectionString });
    // Without waiters the cache may lag: it is only ever a lower bound, and a wait refreshes it first.
    listener.on('notification', () => {
      this.changes += 1;
      if (this.waiters.size > 0) void this.refresh().catch(() => undefined);
    });
    listener.on('error', (error) => {
      this.listening = false;
      this.options.log?.(`checkpoint listener lost: ${error.message}`);
      this.reconnectLater();
    });
    listener.on('end', () => (this.listening = false));
    await listener.connect();
    await listener.query(`LISTEN ${CHECKPOINT_CHANNEL}`);
    this.listener = listener;
    // What was committed while nobody listened is unknown: count it as a change.
    this.changes += 1;
    this.listening = true;
  }

  /** Polling covers the gap while the listening connection is down. */
  private reconnectLater(): void {
    if (this.stopped) return;
    setTimeout(() => {
      if (!this.stopped) this.listen().catch(() => this.reconnectLater());
    }, 1_000).unref();
  }
}
