import type { EventStore } from '@ledger/event-store';
import { guardedPool } from '@ledger/platform';
import type { Client, Pool } from 'pg';
import { connectTo, DEFAULT_BATCH_SIZE, tryAdvisoryLock } from './projection-runner';
import { dropRetiredGenerations, findGeneration, startRebuild, type Generation } from './generations';
import type { Projection } from './projection';
import { ProjectionWorker, type Feed } from './projection-worker';
import type { PersonalDataOpener } from './readable-event';

export interface RebuildOptions {
  readonly connectionString: string;
  readonly store: EventStore;
  readonly projections: readonly Projection[];
  readonly batchSize?: number;
  /** Called after every batch, and every second while another process does the work. */
  readonly onProgress?: (progress: RebuildProgress) => void;
  /** The ledger's decryption point for personal data; without it, sealed names fold as erased. */
  readonly personalData?: PersonalDataOpener;
}

export interface RebuildProgress {
  /** The lowest checkpoint among the generations being built. */
  readonly position: bigint;
  /** The log's head when the rebuild started. */
  readonly head: bigint;
}

export interface RebuildResult {
  readonly generations: readonly Generation[];
  /** False when another process (a projector) held the building generations and this one only watched. */
  readonly builtHere: boolean;
}

/**
 * Rebuilds projections blue/green: each gets a building generation (or
 * resumes the one under way: its checkpoint survived whatever stopped it),
 * which this process feeds until it has caught up and switched in. Queries
 * read the old generation meanwhile. If a projector already feeds the
 * building generations, this waits for it and reports its progress instead.
 */
export async function rebuildProjections(options: RebuildOptions): Promise<RebuildResult> {
  const pool = guardedPool({ connectionString: options.connectionString, max: 2 }, () => undefined);
  const head = await options.store.headPosition();
  const building: Generation[] = [];
  try {
    for (const projection of options.projections) building.push(await startRebuild(pool, projection));
    const client = await connectTo(options.connectionString);
    let feeds: Feed[] = [];
    try {
      feeds = await lockFeeds(client, options.projections, building);
      // Generations another process holds are left to it; this one watches them finish.
      const stop = { requested: false };
      const feeding = feeds.length > 0 ? feed(client, feeds, head, options) : Promise.resolve();
      const watching = watch(pool, building, head, feeds.length > 0 ? undefined : options.onProgress, stop);
      await feeding.catch(async (error: unknown) => {
        stop.requested = true;
        await watching.catch(() => undefined);
        throw error;
      });
      await watching;
    } finally {
      await client.end().catch(() => undefined);
    }
    await dropRetiredGenerations(pool);
    const generations = await Promise.all(building.map((generation) => findGeneration(pool, generation.id)));
    return {
      generations: generations.filter((g): g is Generation => g !== undefined),
      builtHere: feeds.length === building.length,
    };
  } finally {
    await pool.end();
  }
}

async function lockFeeds(client: Client, projections: readonly Projection[], building: readonly Generation[]): Promise<Feed[]> {
  const feeds: Feed[] = [];
  for (const generation of building) {
    if (!(await tryAdvisoryLock(client, generation.id))) continue;
    const locked = (await findGeneration(client, generation.id))!;
    const projection = projections.find((candidate) => candidate.name === locked.projection)!;
    feeds.push({ projection, generation: locked, checkpoint: locked.checkpoint });
  }
  return feeds;
}

async function feed(client: Client, feeds: Feed[], head: bigint, options: RebuildOptions): Promise<void> {
  const worker = new ProjectionWorker(client, options.store, feeds, {
    batchSize: options.batchSize ?? DEFAULT_BATCH_SIZE,
    asynchronousCommit: true,
    idleCheckMs: 5_000,
    untilSwitched: true,
    connect: () => connectTo(options.connectionString),
    onBatch: (current) => options.onProgress?.({ position: lowest(current.map((f) => f.checkpoint)), head }),
    personalData: options.personalData,
  });
  await worker.run();
}

/** Waits until every generation has switched in, reporting progress when another process does the work. */
async function watch(
  pool: Pool,
  building: readonly Generation[],
  head: bigint,
  onProgress: RebuildOptions['onProgress'],
  stop: { readonly requested: boolean },
): Promise<void> {
  while (!stop.requested) {
    const current = await Promise.all(building.map((generation) => findGeneration(pool, generation.id)));
    onProgress?.({ position: lowest(current.map((g) => g?.checkpoint ?? -1n)), head });
    if (current.every((g) => g?.status !== 'building')) return;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

function lowest(values: readonly bigint[]): bigint {
  return values.reduce((min, value) => (value < min ? value : min), values[0] ?? -1n);
}
