import type { EventStore } from '@ledger/event-store';
import { Client, type Pool } from 'pg';
import {
  ADVISORY_LOCK_NAMESPACE,
  dropRetiredGenerations,
  ensureGenerations,
  findGeneration,
  isGenerationOf,
  listGenerations,
  type Generation,
} from './generations';
import { followPaceOf, type Projection } from './projection';
import { guardedPool, isStorageOutage } from '@ledger/platform';
import { ProjectionWorker, type Feed, type LogLevel, type RetryPolicy, type WorkerOptions } from './projection-worker';

export interface ProjectionRunnerOptions {
  readonly connectionString: string;
  readonly store: EventStore;
  readonly projections: readonly Projection[];
  /** Events per read and per transaction. */
  readonly batchSize?: number;
  /** How often a standby instance tries to take over generations nobody feeds. */
  readonly standbyRetryMs?: number;
  readonly asynchronousCommit?: boolean;
  /** How often an event that fails is tried before it is parked (default: DEFAULT_RETRY). */
  readonly retry?: RetryPolicy;
  readonly log?: (message: string, level?: LogLevel) => void;
  readonly onBatch?: WorkerOptions['onBatch'];
  /** The ledger's decryption point for personal data (libs/personal-data); without it, sealed names fold as erased. */
  readonly personalData?: WorkerOptions['personalData'];
}

export const DEFAULT_BATCH_SIZE = 5_000;
/** The longest a runner waits between ticks while they fail. */
const MAX_TICK_BACKOFF_MS = 5_000;

interface RunningWorker {
  readonly worker: ProjectionWorker;
  readonly done: Promise<void>;
}

/**
 * Keeps every projection fed in this process, or stands by. A generation is
 * fed by whoever holds its session advisory lock, on the connection that also
 * writes its batches: when a process dies its connection closes, PostgreSQL
 * releases the lock, and a standby takes over from the committed checkpoint
 * at its next attempt. Active generations share one worker (one read of the
 * log for all), but for those that follow the log at their own pace
 * (Projection.followEveryMs), which get one each; building generations share
 * another.
 */
export class ProjectionRunner {
  private readonly pool: Pool;
  private readonly running = new Set<RunningWorker>();
  private readonly owned = new Set<number>();
  private timer?: NodeJS.Timeout;
  private ticking?: Promise<void>;
  private stopped = false;
  /** Ticks that failed in a row: while the database is away, the runner tries again less often. */
  private failedTicks = 0;

  constructor(private readonly options: ProjectionRunnerOptions) {
    this.pool = guardedPool({ connectionString: options.connectionString, max: 3 }, (error) => this.log(`connection failed: ${error.message}`, 'warn'));
  }

  async start(): Promise<void> {
    await ensureGenerations(this.pool, this.options.projections);
    await this.tick();
    this.schedule();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.ticking;
    const running = [...this.running];
    await Promise.all(running.map(({ worker }) => worker.stop()));
    await Promise.all(running.map(({ done }) => done));
    await this.pool.end();
  }

  /** Running, and its last look at the database (every second or so) succeeded. */
  get healthy(): boolean {
    return !this.stopped && this.failedTicks === 0;
  }

  /** Generation ids this process feeds right now. */
  get fedGenerations(): readonly number[] {
    return [...this.owned];
  }

  /**
   * Every tick takes over what nobody feeds (a worker that stopped, a
   * standby whose peer died). While ticks fail (the database away), they
   * come less often, up to MAX_TICK_BACKOFF_MS, and only the first failure
   * of a run is logged at warn level.
   */
  private schedule(): void {
    if (this.stopped) return;
    const base = this.options.standbyRetryMs ?? 1_000;
    const delay = Math.min(base * 2 ** Math.min(this.failedTicks, 10), Math.max(base, MAX_TICK_BACKOFF_MS));
    this.timer = setTimeout(() => {
      this.ticking = this.tick()
        .then(() => {
          this.failedTicks = 0;
        })
        .catch((error: Error) => {
          if (this.failedTicks === 0) this.log(`projection runner: ${error.message}`, 'warn');
          this.failedTicks += 1;
        })
        .finally(() => this.schedule());
    }, delay);
  }

  private async tick(): Promise<void> {
    const byName = new Map(this.options.projections.map((projection) => [projection.name, projection]));
    // Only the code's own version, under its settings, can be fed; another active one stays readable until replaced.
    const feedable = (await listGenerations(this.pool)).filter((generation) => {
      const projection = byName.get(generation.projection);
      return projection !== undefined && isGenerationOf(generation, projection) && !this.owned.has(generation.id);
    });
    for (const status of ['active', 'building'] as const) {
      const group = feedable.filter((generation) => generation.status === status);
      // Active generations that follow the log at their own pace (Projection.followEveryMs) get a worker each.
      const lanes = status === 'building' ? [group] : laneGroups(group, byName);
      for (const lane of lanes) if (lane.length > 0 && !this.stopped) await this.tryToFeed(lane, byName);
    }
    await dropRetiredGenerations(this.pool);
  }

  private async tryToFeed(group: readonly Generation[], byName: ReadonlyMap<string, Projection>): Promise<void> {
    const client = await connectTo(this.options.connectionString, (message) => this.log(message));
    const feeds: Feed[] = [];
    try {
      for (const candidate of group) {
        if (!(await tryAdvisoryLock(client, candidate.id))) continue;
        // Read again under the lock: the previous holder may have committed since the listing.
        const generation = await findGeneration(client, candidate.id);
        if (generation && generation.status !== 'retired') {
          feeds.push({ projection: byName.get(generation.projection)!, generation, checkpoint: generation.checkpoint });
        }
      }
    } catch (error) {
      await client.end().catch(() => undefined);
      throw error;
    }
    if (feeds.length === 0) return void (await client.end());
    this.startWorker(client, feeds);
  }

  private startWorker(client: Client, feeds: Feed[]): void {
    const worker = new ProjectionWorker(client, this.options.store, feeds, {
      batchSize: this.options.batchSize ?? DEFAULT_BATCH_SIZE,
      asynchronousCommit: this.options.asynchronousCommit ?? true,
      idleCheckMs: 5_000,
      connect: () => connectTo(this.options.connectionString, (message) => this.log(message, 'warn')),
      onBatch: this.options.onBatch,
      onSwitch: (projection, activated, retired) =>
        this.log(`${projection.name}: generation ${activated.id} is active${retired ? `, ${retired.id} retired` : ''}`),
      retry: this.options.retry,
      log: (message, level) => this.log(message, level),
      personalData: this.options.personalData,
    });
    const ids = feeds.map((feed) => feed.generation.id);
    ids.forEach((id) => this.owned.add(id));
    this.log(`feeding ${feeds.map((feed) => `${feed.projection.name}#${feed.generation.id}`).join(', ')}`);
    const running: RunningWorker = {
      worker,
      done: worker
        .run()
        // Taken over again at the next tick, from the committed checkpoints.
        .catch((error: Error) => this.log(`projection worker stopped: ${error.message}`, isStorageOutage(error) ? 'warn' : 'error'))
        .finally(async () => {
          ids.forEach((id) => this.owned.delete(id));
          this.running.delete(running);
          // Closing the session releases its advisory locks for a standby.
          await client.end().catch(() => undefined);
        }),
    };
    this.running.add(running);
  }

  private log(message: string, level: LogLevel = 'info'): void {
    this.options.log?.(message, level);
  }
}

/**
 * Active generations by how they follow the log: those that follow every
 * append share one worker (one read of the log for all), and each that
 * follows at its own pace (Projection.followEveryMs) gets a worker of its own.
 */
function laneGroups(group: readonly Generation[], byName: ReadonlyMap<string, Projection>): Generation[][] {
  const paced = (generation: Generation) => {
    const projection = byName.get(generation.projection);
    return projection !== undefined && followPaceOf(projection) > 0;
  };
  return [group.filter((generation) => !paced(generation)), ...group.filter(paced).map((generation) => [generation])];
}

/** A connection of the runner's own; a failure while idle is logged, and the next query on it fails. */
export async function connectTo(connectionString: string, log?: (message: string, level?: LogLevel) => void): Promise<Client> {
  const client = new Client({ connectionString, application_name: 'ledger-projector' });
  client.on('error', (error) => log?.(`projection connection failed: ${error.message}`, 'warn'));
  await client.connect();
  return client;
}

export async function tryAdvisoryLock(client: Client, generationId: number): Promise<boolean> {
  const { rows } = await client.query<{ locked: boolean }>('SELECT pg_try_advisory_lock($1, $2) AS locked', [
    ADVISORY_LOCK_NAMESPACE,
    generationId,
  ]);
  return rows[0].locked;
}
