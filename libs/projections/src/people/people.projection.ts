import type { RecordedEvent } from '@ledger/event-store';
import { asLedgerEvent, positionOf } from '../ledger-events';
import { append, type Projection, type RowChange } from '../projection';
import { holderNamesTable } from './people.tables';

/**
 * Holder names, keyed by the opaque subjectId. Personal data enters the read
 * side here only as the name, which the public registry and transparency
 * reports must show; the CURP is dropped.
 */
export const peopleProjection: Projection = {
  name: 'people',
  version: 1,
  eventTypes: ['PersonRegistered', 'PersonalDataRectified'],
  tables: [holderNamesTable],
  reads: () => [],
  fold,
};

function fold(_rows: unknown, recorded: RecordedEvent): RowChange[] {
  const event = asLedgerEvent(recorded);
  if (event.type === 'PersonRegistered') return [name(event.data.subjectId, event.data.fullName, event.data.registeredAt, event)];
  if (event.type === 'PersonalDataRectified') return [name(event.data.subjectId, event.data.fullName, event.data.rectifiedAt, event)];
  return [];
}

function name(subjectId: string, fullName: string, effectiveAt: string, event: RecordedEvent): RowChange {
  return append(holderNamesTable.name, {
    subject_id: subjectId,
    position: positionOf(event),
    full_name: fullName,
    effective_at: effectiveAt,
  });
}
