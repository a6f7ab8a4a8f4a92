import type { RecordedEvent } from '@ledger/event-store';
import { asLedgerEvent, envelopeColumns, positionOf, unexpectedEvent, type LedgerEvent } from '../ledger-events';
import { append, put, ref, type Projection, type RowChange, type RowReader, type RowRef } from '../projection';
import { evaluatorSubjectsTable, holderNamesTable, personTimelineTable, processSubjectsTable } from './people.tables';

const PROCESS_SUBJECTS = processSubjectsTable.name;
const EVALUATOR_SUBJECTS = evaluatorSubjectsTable.name;

/**
 * Holder names and person timelines, keyed by the opaque subjectId. Personal
 * data enters the read side here only as the name, which the public registry
 * and transparency reports must show; the CURP is dropped.
 */
export const peopleProjection: Projection = {
  name: 'people',
  version: 1,
  eventTypes: [
    'PersonRegistered',
    'PersonalDataRectified',
    'EnrollmentOpened',
    'CandidateEnrolled',
    'TrainingRecorded',
    'EvaluationRecorded',
    'CertificateIssued',
    'CertificateRevoked',
    'FolioAssigned',
    'EvaluatorAccredited',
    'EvaluatorAccreditationRevoked',
  ],
  tables: [holderNamesTable, personTimelineTable, processSubjectsTable, evaluatorSubjectsTable],
  reads,
  fold,
};

function reads(recorded: RecordedEvent): RowRef[] {
  const event = asLedgerEvent(recorded);
  switch (event.type) {
    case 'TrainingRecorded':
    case 'EvaluationRecorded':
    case 'CertificateRevoked':
    case 'FolioAssigned':
      return [ref(PROCESS_SUBJECTS, { process_id: event.data.processId })];
    case 'EvaluatorAccreditationRevoked':
      return [ref(EVALUATOR_SUBJECTS, { evaluator_id: event.data.evaluatorId })];
    default:
      return [];
  }
}

function fold(rows: RowReader, recorded: RecordedEvent): RowChange[] {
  const event = asLedgerEvent(recorded);
  const subjectId = subjectOf(rows, event);
  // An event whose person is unknown (its first event predates this projection's types) has no timeline to join.
  const timeline = subjectId === undefined ? [] : [timelineEntry(subjectId, event)];
  switch (event.type) {
    case 'PersonRegistered':
      return [name(event.data.subjectId, event.data.fullName, event.data.registeredAt, event), ...timeline];
    case 'PersonalDataRectified':
      return [name(event.data.subjectId, event.data.fullName, event.data.rectifiedAt, event), ...timeline];
    case 'CandidateEnrolled':
      return [put(PROCESS_SUBJECTS, { process_id: event.data.processId, subject_id: event.data.subjectId }), ...timeline];
    case 'EvaluatorAccredited':
      return [put(EVALUATOR_SUBJECTS, { evaluator_id: event.data.evaluatorId, subject_id: event.data.subjectId }), ...timeline];
    default:
      return timeline;
  }
}

function subjectOf(rows: RowReader, event: LedgerEvent): string | undefined {
  switch (event.type) {
    case 'PersonRegistered':
    case 'PersonalDataRectified':
    case 'EnrollmentOpened':
    case 'CandidateEnrolled':
    case 'CertificateIssued':
    case 'EvaluatorAccredited':
      return event.data.subjectId;
    case 'TrainingRecorded':
    case 'EvaluationRecorded':
    case 'CertificateRevoked':
    case 'FolioAssigned':
      return rows.get(PROCESS_SUBJECTS, { process_id: event.data.processId })?.subject_id as string | undefined;
    case 'EvaluatorAccreditationRevoked':
      return rows.get(EVALUATOR_SUBJECTS, { evaluator_id: event.data.evaluatorId })?.subject_id as string | undefined;
    case 'StandardRegistered':
    case 'StandardRetired':
    case 'ProviderAccredited':
      return undefined;
    default:
      return unexpectedEvent('people', event);
  }
}

function name(subjectId: string, fullName: string, effectiveAt: string, event: RecordedEvent): RowChange {
  return append(holderNamesTable.name, {
    subject_id: subjectId,
    position: positionOf(event),
    full_name: fullName,
    effective_at: effectiveAt,
  });
}

function timelineEntry(subjectId: string, event: LedgerEvent): RowChange {
  return append(personTimelineTable.name, {
    subject_id: subjectId,
    position: positionOf(event),
    type: event.type,
    stream_id: event.streamId,
    ...envelopeColumns(event),
    details: timelineDetails(event),
  });
}

/**
 * What a comptroller sees of an event in a timeline. Person events are
 * reduced to what is not personal data (the CURP and the name stay out);
 * the other events carry none, only the subjectId the row is keyed by.
 */
function timelineDetails(event: LedgerEvent): Record<string, unknown> {
  switch (event.type) {
    case 'PersonRegistered':
      return { registeredAt: event.data.registeredAt };
    case 'PersonalDataRectified':
      return { rectifiedAt: event.data.rectifiedAt };
    default: {
      const { subjectId: _subject, ...details } = event.data as { subjectId?: string };
      return details;
    }
  }
}
