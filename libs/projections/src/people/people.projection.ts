import type { LedgerEventType } from '@ledger/domain';
import type { RecordedEvent } from '@ledger/event-store';
import { ERASED_NAME, isErasedData } from '@ledger/personal-data';
import { asFoldedEvent, unexpectedEvent, listOf, positionOf } from '../ledger-events';
import { patch, put, ref, type Projection, type RowChange, type RowReader, type RowRef } from '../projection';
import { holderNamesTable, peopleSubjectsTable } from './people.tables';

const SUBJECTS = peopleSubjectsTable.name;

/** What this projection folds: its eventTypes, and the union its fold's switch covers. */
const EVENT_TYPES = ['PersonRegistered', 'PersonalDataRectified', 'PersonalDataErased'] as const satisfies readonly LedgerEventType[];

/**
 * Holder names, keyed by the opaque subjectId. Personal data enters the read
 * side here only as the name, which the public registry and transparency
 * reports must show; the CURP is dropped. Names arrive through the vault
 * (readableEvents): an erased person's events read without a name, and
 * PersonalDataErased purges every name row the person had, so the live read
 * model and a rebuild after the key is gone show the same `[erased]`.
 */
export const peopleProjection: Projection = {
  name: 'people',
  version: 2,
  eventTypes: EVENT_TYPES,
  tables: [holderNamesTable, peopleSubjectsTable],
  reads,
  fold,
};

function subjectIdOf(recorded: RecordedEvent): string | undefined {
  const subjectId: unknown = asFoldedEvent(recorded, EVENT_TYPES).data.subjectId;
  return typeof subjectId === 'string' ? subjectId : undefined;
}

function reads(recorded: RecordedEvent): RowRef[] {
  const subjectId = subjectIdOf(recorded);
  return subjectId === undefined ? [] : [ref(SUBJECTS, { subject_id: subjectId })];
}

function fold(rows: RowReader, recorded: RecordedEvent): RowChange[] {
  const event = asFoldedEvent(recorded, EVENT_TYPES);
  const subjectId = subjectIdOf(recorded);
  const subject = subjectId === undefined ? undefined : rows.get(SUBJECTS, { subject_id: subjectId });
  const positions = listOf(subject?.name_positions as readonly string[] | undefined);
  const erased = subject?.erased === true;
  switch (event.type) {
    case 'PersonRegistered':
    case 'PersonalDataRectified': {
      const effectiveAt = event.type === 'PersonRegistered' ? event.data.registeredAt : event.data.rectifiedAt;
      const unreadable = erased || isErasedData(event.data) || typeof event.data.fullName !== 'string';
      // Put, not append: an erasure rewrites the row later, and appended rows never change.
      const row = put(holderNamesTable.name, {
        subject_id: subjectId ?? null,
        position: positionOf(event),
        full_name: unreadable ? ERASED_NAME : event.data.fullName,
        effective_at: effectiveAt,
        erased: unreadable,
      });
      if (subjectId === undefined) return [row];
      return [row, put(SUBJECTS, { subject_id: subjectId, name_positions: [...positions, positionOf(event)], erased })];
    }
    case 'PersonalDataErased': {
      if (subjectId === undefined) return [];
      const purged = positions.map((position) => patch(holderNamesTable.name, { subject_id: subjectId, position }, { full_name: ERASED_NAME, erased: true }));
      return [...purged, put(SUBJECTS, { subject_id: subjectId, name_positions: positions, erased: true })];
    }
    default:
      return unexpectedEvent('people', event);
  }
}
