import type { EventStore } from '@ledger/event-store';
import type { StreamAppend } from './synthetic-ledger';

/**
 * Appends many streams' events through the port, keeping a window of appends
 * in flight so the store can commit them in groups. Appends to one stream
 * keep their order: the store queues them in call order.
 */
export async function seedEventStore(
  store: EventStore,
  appends: Iterable<StreamAppend>,
  options: { inFlight?: number; onProgress?: (events: number) => void } = {},
): Promise<number> {
  const inFlight = options.inFlight ?? 512;
  const pending = new Set<Promise<unknown>>();
  let events = 0;
  for (const { streamId, events: batch } of appends) {
    const appending = store.appendToStream(streamId, batch, { expectedRevision: 'any' }).finally(() => pending.delete(appending));
    pending.add(appending);
    events += batch.length;
    if (pending.size >= inFlight) {
      await Promise.race(pending);
      options.onProgress?.(events);
    }
  }
  await Promise.all(pending);
  return events;
}
