import type { RecordedEvent } from '@ledger/event-store';
import { ENVELOPE_COLUMNS, envelopeColumns, positionOf } from '../ledger-events';
import { append, type Projection, type RowChange, type TableDefinition } from '../projection';

/** One row per event of the log: who did what, when, on whose behalf and as part of which command. */
export const auditEventsTable: TableDefinition = {
  name: 'audit_events',
  published: true,
  columns: {
    position: 'bigint',
    event_id: 'text',
    type: 'text',
    stream_id: 'text',
    revision: 'bigint',
    ...ENVELOPE_COLUMNS,
    schema_version: 'integer',
  },
  primaryKey: ['position'],
  indexes: [
    ['actor_id', 'position'],
    ['actor_org', 'position'],
    ['type', 'position'],
    ['stream_id', 'position'],
    ['occurred_at'],
  ],
};

/** The audit trail is the envelope of every event; event data (which may hold personal data) stays out. */
export const auditProjection: Projection = {
  name: 'audit',
  version: 1,
  eventTypes: 'all',
  tables: [auditEventsTable],
  reads: () => [],
  fold: (_rows, event) => [auditEntry(event)],
};

function auditEntry(event: RecordedEvent): RowChange {
  return append(auditEventsTable.name, {
    position: positionOf(event),
    event_id: event.id,
    type: event.type,
    stream_id: event.streamId,
    revision: event.revision.toString(),
    ...envelopeColumns(event),
    schema_version: event.metadata?.schemaVersion ?? null,
  });
}
