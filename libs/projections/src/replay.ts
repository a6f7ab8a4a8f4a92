import type { EventStore } from '@ledger/event-store';
import { createStagingTables } from './batch-writer';
import { findGeneration } from './generations';
import { replayRequested, type ReplayOutcome } from './parked-events';
import type { Projection } from './projection';
import { connectTo, tryAdvisoryLock } from './projection-runner';
import { QueryQueue } from './query-queue';

/**
 * Replays a generation's requested parked events in this process, when no
 * projector feeds it (its advisory lock is free): the operator's command
 * then does the feeder's part itself. Returns undefined when a feeder holds
 * the generation; that feeder serves the request instead.
 */
export async function replayWithoutFeeder(
  connectionString: string,
  store: EventStore,
  projection: Projection,
  generationId: number,
): Promise<ReplayOutcome[] | undefined> {
  const control = await connectTo(connectionString);
  const others = [];
  try {
    if (!(await tryAdvisoryLock(control, generationId))) return undefined;
    const generation = await findGeneration(control, generationId);
    if (!generation || generation.status === 'retired') return [];
    const reader = await connectTo(connectionString);
    const writer = await connectTo(connectionString);
    others.push(reader, writer);
    const writing = new QueryQueue(writer);
    await createStagingTables(writing, projection, generation.schema);
    return await replayRequested(store, { projection, generation, checkpoint: generation.checkpoint, reader: new QueryQueue(reader), writer: writing });
  } finally {
    await Promise.all([...others, control].map((client) => client.end().catch(() => undefined)));
  }
}
