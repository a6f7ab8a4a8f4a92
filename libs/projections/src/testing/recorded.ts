import type { EventMetadata, RecordedEvent } from '@ledger/event-store';
import { BatchRows } from '../batch-rows';
import type { Projection, Row } from '../projection';
import { readableEvent } from '../readable-event';

/** A stored event for fold specs: position and stream as given, a plain actor. */
export function recorded(position: number, streamId: string, type: string, data: object, metadata: Partial<EventMetadata> = {}): RecordedEvent {
  return {
    id: `00000000-0000-4000-8000-${position.toString(16).padStart(12, '0')}`,
    type,
    data,
    streamId,
    revision: 0n,
    position: BigInt(position),
    metadata: {
      actor: { id: 'user-1', role: 'registrar', organizationId: 'CE-1' },
      commandId: 'c-1',
      correlationId: 'c-1',
      causationId: 'c-1',
      occurredAt: '2018-11-13T10:00:00.000Z',
      recordedAt: '2018-11-13T10:01:00.000Z',
      schemaVersion: 1,
      ...metadata,
    },
  };
}

/**
 * Folds events the way the runner does, without a database (each event made
 * readable first, as the runner does): rows the folds
 * read start absent (or as given), changes merge per key. Returns the final
 * rows of each table as the runner would write them.
 */
export function foldInMemory(projection: Projection, stored: readonly RecordedEvent[] | RecordedEvent[], rowsStored: Record<string, Row[]> = {}): BatchRows {
  const events = projection.readsStoredEvents ? stored : stored.map(readableEvent);
  const rows = new BatchRows(projection);
  const refs = events.flatMap((event) => projection.reads(event));
  for (const [table, keys] of rows.missing(refs)) rows.load(table, keys, rowsStored[table] ?? []);
  if (projection.foldBatch) {
    for (const change of projection.foldBatch(rows, events)) rows.apply(change);
    return rows;
  }
  for (const event of events) for (const change of projection.fold(rows, event)) rows.apply(change);
  return rows;
}

export function tableWrites(rows: BatchRows, table: string) {
  return rows.writes().find((writes) => writes.table.name === table)!;
}
