import type { CandidateEnrolled, CertificateIssued, CertificateRevoked, EvaluationRecorded, LedgerEventType, TrainingRecorded } from '@ledger/domain';
import type { RecordedEvent } from '@ledger/event-store';
import { asFoldedEvent, positionOf, unexpectedEvent } from '../ledger-events';
import { addTo, patch, put, ref, type Projection, type Row, type RowChange, type RowReader, type RowRef } from '../projection';
import { certificatesTable, certificationCountsTable, processesTable } from './certification.tables';

type Recorded<E extends { type: string; data: unknown }> = RecordedEvent<E['type'], E['data']>;

const PROCESSES = processesTable.name;
const CERTIFICATES = certificatesTable.name;
const COUNTS = certificationCountsTable.name;

/** What this projection folds: its eventTypes, and the union its fold's switch must cover. */
const EVENT_TYPES = ['CandidateEnrolled', 'TrainingRecorded', 'EvaluationRecorded', 'CertificateIssued', 'CertificateRevoked'] as const satisfies readonly LedgerEventType[];

/**
 * Certification processes, certificates, and the counts
 * dashboards read. Counts live in this projection, not one of their own, so
 * they move in the same transaction as the certificate rows and always equal
 * them.
 */
export const certificationProjection: Projection = {
  name: 'certification',
  // 2: certificates.printed_folio, the folio of a paper certificate an import brought.
  version: 2,
  eventTypes: EVENT_TYPES,
  tables: [processesTable, certificatesTable, certificationCountsTable],
  reads,
  fold,
};

function reads(recorded: RecordedEvent): RowRef[] {
  const event = asFoldedEvent(recorded, EVENT_TYPES);
  if (event.type === 'CertificateIssued') return [ref(PROCESSES, { process_id: event.data.processId })];
  if (event.type === 'CertificateRevoked') return [ref(CERTIFICATES, { folio: event.data.folio })];
  return [];
}

function fold(rows: RowReader, recorded: RecordedEvent): RowChange[] {
  const event = asFoldedEvent(recorded, EVENT_TYPES);
  switch (event.type) {
    case 'CandidateEnrolled':
      return [enrolled(event)];
    case 'TrainingRecorded':
      return [trained(event)];
    case 'EvaluationRecorded':
      return [evaluated(event)];
    case 'CertificateIssued':
      return issued(rows, event);
    case 'CertificateRevoked':
      return revoked(rows, event);
    default:
      return unexpectedEvent('certification', event);
  }
}

function enrolled(event: Recorded<CandidateEnrolled>): RowChange {
  const { data } = event;
  return put(PROCESSES, {
    process_id: data.processId,
    subject_id: data.subjectId,
    standard_code: data.standardCode,
    standard_version: data.standardVersion,
    validity_years: data.validityYears,
    provider_id: data.providerId,
    centre_id: data.centreId,
    agency: data.agency,
    state: data.jurisdiction?.state ?? null,
    municipality: data.jurisdiction?.municipality ?? null,
    employment: data.employment,
    enrolled_at: data.enrolledAt,
    status: 'enrolled',
    last_result: null,
    evaluator_id: null,
    evaluated_at: null,
    folio: null,
    issued_at: null,
    revoked_at: null,
    enrolled_position: positionOf(event),
    position: positionOf(event),
  });
}

function trained(event: Recorded<TrainingRecorded>): RowChange {
  return patch(PROCESSES, { process_id: event.data.processId }, { position: positionOf(event) });
}

function evaluated(event: Recorded<EvaluationRecorded>): RowChange {
  const { data } = event;
  return patch(
    PROCESSES,
    { process_id: data.processId },
    {
      status: 'evaluated',
      last_result: data.result,
      evaluator_id: data.evaluatorId,
      evaluated_at: data.evaluatedAt,
      position: positionOf(event),
    },
  );
}

function issued(rows: RowReader, event: Recorded<CertificateIssued>): RowChange[] {
  const { data } = event;
  // Work data was recorded at enrollment; the issuance event does not repeat it.
  const process = rows.get(PROCESSES, { process_id: data.processId }) ?? {};
  const certificate: Row = {
    folio: data.folio,
    process_id: data.processId,
    subject_id: data.subjectId,
    standard_code: data.standardCode,
    provider_id: data.providerId,
    evaluator_id: data.evaluatorId,
    agency: process.agency ?? null,
    state: process.state ?? null,
    municipality: process.municipality ?? null,
    employment: process.employment ?? null,
    issued_at: data.issuedAt,
    valid_until: data.validUntil,
    revoked_at: null,
    revocation_reason: null,
    issued_position: positionOf(event),
    revoked_position: null,
    position: positionOf(event),
    printed_folio: data.printedFolio ?? null,
  };
  return [
    put(CERTIFICATES, certificate),
    patch(PROCESSES, { process_id: data.processId }, { status: 'certified', folio: data.folio, issued_at: data.issuedAt, position: positionOf(event) }),
    addTo(COUNTS, countKey(certificate, false), { certificates: 1 }),
  ];
}

function revoked(rows: RowReader, event: Recorded<CertificateRevoked>): RowChange[] {
  const { data } = event;
  const certificate = rows.get(CERTIFICATES, { folio: data.folio });
  const processChange = patch(PROCESSES, { process_id: data.processId }, { status: 'revoked', revoked_at: data.revokedAt, position: positionOf(event) });
  // A second revocation of the same certificate cannot be decided; if one were stored, the first stands.
  if (!certificate || certificate.revoked_position !== null) return [processChange];
  return [
    patch(
      CERTIFICATES,
      { folio: data.folio },
      { revoked_at: data.revokedAt, revocation_reason: data.reason, revoked_position: positionOf(event), position: positionOf(event) },
    ),
    processChange,
    addTo(COUNTS, countKey(certificate, false), { certificates: -1 }),
    addTo(COUNTS, countKey(certificate, true), { certificates: 1 }),
  ];
}

function countKey(certificate: Row, revoked: boolean): Row {
  return {
    standard_code: certificate.standard_code,
    provider_id: certificate.provider_id,
    evaluator_id: certificate.evaluator_id,
    agency: certificate.agency ?? '',
    state: certificate.state ?? '',
    municipality: certificate.municipality ?? '',
    employment: certificate.employment ?? '',
    issued_at: certificate.issued_at,
    valid_until: certificate.valid_until,
    revoked,
  };
}
