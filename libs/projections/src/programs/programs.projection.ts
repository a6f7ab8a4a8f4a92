import type { LedgerEventType } from '@ledger/domain';
import type { RecordedEvent } from '@ledger/event-store';
import { asFoldedEvent, listOf, positionOf, unexpectedEvent } from '../ledger-events';
import { append, put, ref, type Projection, type Row, type RowChange, type RowReader, type RowRef } from '../projection';
import { programsTable, programTermsTable } from './programs.tables';

const PROGRAMS = programsTable.name;
const TERMS = programTermsTable.name;

/** What this projection folds: its eventTypes, and the union its fold's switch must cover. */
const EVENT_TYPES = ['ProgramLaunched', 'ProgramTargetChanged', 'ProgramPeriodExtended'] as const satisfies readonly LedgerEventType[];

/** Certification programs and the history of their terms (targets changed, periods extended). */
export const programsProjection: Projection = {
  name: 'programs',
  version: 1,
  eventTypes: EVENT_TYPES,
  tables: [programsTable, programTermsTable],
  reads,
  fold,
};

function reads(recorded: RecordedEvent): RowRef[] {
  const event = asFoldedEvent(recorded, EVENT_TYPES);
  if (event.type !== 'ProgramTargetChanged' && event.type !== 'ProgramPeriodExtended') return [];
  return typeof event.data.programId === 'string' ? [ref(PROGRAMS, { program_id: event.data.programId })] : [];
}

function fold(rows: RowReader, recorded: RecordedEvent): RowChange[] {
  const event = asFoldedEvent(recorded, EVENT_TYPES);
  const position = positionOf(event);
  switch (event.type) {
    case 'ProgramLaunched': {
      const { data } = event;
      const terms: Row = {
        program_id: data.programId,
        name: data.name,
        state: data.jurisdiction?.state ?? null,
        municipality: data.jurisdiction?.municipality ?? null,
        standards: listOf(data.standards),
        starts_on: data.startsOn,
        ends_on: data.endsOn,
        target: data.target ?? null,
        launched_at: data.launchedAt,
        launched_position: position,
      };
      return changed(terms, position, { change: event.type, reason: null, changed_at: data.launchedAt });
    }
    case 'ProgramTargetChanged':
    case 'ProgramPeriodExtended': {
      const current = rows.get(PROGRAMS, { program_id: event.data.programId });
      // An amendment of a program this log never launched (written around the ledger) has no terms to amend.
      if (!current) return [];
      const { position: _previous, ...terms } = current;
      const amended = event.type === 'ProgramTargetChanged' ? { ...terms, target: event.data.target } : { ...terms, ends_on: event.data.endsOn };
      const at = event.type === 'ProgramTargetChanged' ? event.data.changedAt : event.data.extendedAt;
      return changed(amended, position, { change: event.type, reason: event.data.reason, changed_at: at });
    }
    default:
      return unexpectedEvent('programs', event);
  }
}

function changed(terms: Row, position: string, change: Row): RowChange[] {
  return [put(PROGRAMS, { ...terms, position }), append(TERMS, { ...terms, position, ...change })];
}
