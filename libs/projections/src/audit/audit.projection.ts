import type { RecordedEvent } from '@ledger/event-store';
import { asLedgerEvent, envelopeColumns, positionOf, type RecordedLedgerEvent } from '../ledger-events';
import { append, put, ref, type Projection, type RowChange, type RowReader, type RowRef } from '../projection';
import { auditEventsTable, evaluatorSubjectsTable, processSubjectsTable } from './audit.tables';

const PROCESS_SUBJECTS = processSubjectsTable.name;
const EVALUATOR_SUBJECTS = evaluatorSubjectsTable.name;

/** The audit trail, person timelines and process steps: every event once, with the person it is about. */
export const auditProjection: Projection = {
  name: 'audit',
  version: 1,
  eventTypes: 'all',
  tables: [auditEventsTable, processSubjectsTable, evaluatorSubjectsTable],
  reads,
  fold,
};

/**
 * The row that names the person a step is about. The audit trail records
 * every event, so an event that lacks the id to look the person up by (one
 * written outside the ledger) is recorded without a subject, never set aside.
 */
function subjectRef(recorded: RecordedEvent): RowRef | undefined {
  const event = asLedgerEvent(recorded);
  switch (event.type) {
    case 'TrainingRecorded':
    case 'EvaluationRecorded':
    case 'CertificateRevoked':
    case 'FolioAssigned':
      return typeof event.data.processId === 'string' ? ref(PROCESS_SUBJECTS, { process_id: event.data.processId }) : undefined;
    case 'EvaluatorAccreditationRevoked':
      return typeof event.data.evaluatorId === 'string' ? ref(EVALUATOR_SUBJECTS, { evaluator_id: event.data.evaluatorId }) : undefined;
    default:
      return undefined;
  }
}

function reads(recorded: RecordedEvent): RowRef[] {
  const subject = subjectRef(recorded);
  return subject ? [subject] : [];
}

function fold(rows: RowReader, recorded: RecordedEvent): RowChange[] {
  const event = asLedgerEvent(recorded);
  const entry = append(auditEventsTable.name, {
    position: positionOf(event),
    event_id: event.id,
    type: event.type,
    stream_id: event.streamId,
    revision: event.revision.toString(),
    ...envelopeColumns(event),
    schema_version: event.metadata?.schemaVersion ?? null,
    subject_id: subjectOf(rows, event) ?? null,
    details: detailsOf(event),
  });
  if (event.type === 'CandidateEnrolled' && typeof event.data.processId === 'string') {
    // Put, not append: the domain enrolls a process once, but a log written around it may repeat the id.
    return [entry, put(PROCESS_SUBJECTS, { process_id: event.data.processId, subject_id: event.data.subjectId })];
  }
  if (event.type === 'EvaluatorAccredited' && typeof event.data.evaluatorId === 'string') {
    return [entry, put(EVALUATOR_SUBJECTS, { evaluator_id: event.data.evaluatorId, subject_id: event.data.subjectId })];
  }
  return [entry];
}

/** The person an event is about; undefined for standards, providers and event types this code does not know. */
function subjectOf(rows: RowReader, event: RecordedLedgerEvent): string | undefined {
  switch (event.type) {
    case 'PersonRegistered':
    case 'PersonalDataRectified':
    case 'PersonalDataErased':
    case 'EnrollmentOpened':
    case 'CandidateEnrolled':
    case 'CertificateIssued':
    case 'EvaluatorAccredited':
      return event.data.subjectId;
    case 'TrainingRecorded':
    case 'EvaluationRecorded':
    case 'CertificateRevoked':
    case 'FolioAssigned':
    case 'EvaluatorAccreditationRevoked': {
      const subject = subjectRef(event);
      return subject && (rows.get(subject.table, subject.key)?.subject_id as string | undefined);
    }
    default:
      return undefined;
  }
}

/**
 * What an auditor sees of an event. Person events are reduced to what is not
 * personal data (the CURP and the name stay in the person stream); the other
 * events of the ledger carry none. Unknown types show nothing, since nobody
 * has checked what they hold.
 */
function detailsOf(event: RecordedLedgerEvent): Record<string, unknown> {
  switch (event.type) {
    case 'PersonRegistered':
      return { registeredAt: event.data.registeredAt };
    case 'PersonalDataRectified':
      return { rectifiedAt: event.data.rectifiedAt };
    case 'PersonalDataErased':
      // The privacy office's folio and the instant; its free-text reason is left in the person stream.
      return { requestFolio: event.data.requestFolio, erasedAt: event.data.erasedAt };
    case 'StandardRegistered':
    case 'StandardRetired':
    case 'ProviderAccredited':
    case 'EvaluatorAccredited':
    case 'EvaluatorAccreditationRevoked':
    case 'EnrollmentOpened':
    case 'CandidateEnrolled':
    case 'TrainingRecorded':
    case 'EvaluationRecorded':
    case 'CertificateIssued':
    case 'CertificateRevoked':
    case 'FolioAssigned':
    case 'ProgramLaunched':
    case 'ProgramTargetChanged':
    case 'ProgramPeriodExtended': {
      const { subjectId: _subject, ...details } = event.data as { subjectId?: string };
      return details;
    }
    default:
      return {};
  }
}
