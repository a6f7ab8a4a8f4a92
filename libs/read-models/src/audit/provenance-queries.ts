import { Folio, tryNormaliseInstant } from '@ledger/domain';
import type { DataSource } from 'typeorm';
import { CERTIFICATE_COLUMNS, type CertificateRowOf } from '../tables/certificates.columns';
import { selectColumns } from '../tables/table-columns';
import { notFound } from '../query-error';
import { inReadSnapshot, type ReadModelReader } from '../read-position';
import { standingOn, type EvaluatorAccreditationView } from '../registry/accreditation-queries';
import { eventsOfStream, type ActorView, type TimelineEntryView } from './audit-queries';

/** One fact of a certificate's history: what, when (business and recorded), by whom, at which position. */
export interface ProvenanceStep {
  type: string;
  position: string;
  occurredAt: string | null;
  recordedAt: string | null;
  actor: ActorView;
  commandId: string | null;
  correlationId: string | null;
  details: Record<string, unknown>;
}

export interface EvaluationProvenance extends ProvenanceStep {
  /** The evaluator's credential for the standard that applied on the evaluation date, and whether it was in force. */
  accreditation: (EvaluatorAccreditationView & { inForce: boolean }) | null;
}

export interface CertificateProvenance {
  folio: string;
  processId: string;
  subjectId: string;
  standardCode: string;
  enrollment: ProvenanceStep | null;
  trainings: ProvenanceStep[];
  evaluations: EvaluationProvenance[];
  folioAssignment: ProvenanceStep | null;
  issuance: ProvenanceStep | null;
  revocation: ProvenanceStep | null;
  position: string;
}

/**
 * Who enrolled, trained, evaluated, issued and revoked a certificate, with
 * times and positions, and for each evaluation the evaluator's accreditation
 * in force that day: the comptroller's question "was this certificate
 * granted by people entitled to grant it?".
 */
export class ProvenanceQueries {
  constructor(private readonly dataSource: DataSource) {}

  /** Read in one snapshot of the certificates, the audit trail and the registry. */
  /** `scope`: a comptroller scoped to a state sees the provenance of that state's certificates only (another's is not found). */
  async ofCertificate(input: string, scope: { readonly state?: string } = {}): Promise<CertificateProvenance> {
    const folio = Folio.parse(input).value;
    return inReadSnapshot(this.dataSource, ['certification', 'audit', 'registry'], (reader) => provenanceOf(reader, folio, scope));
  }
}

/** What the provenance reads of the certificate itself. */
const PROVENANCE_COLUMNS = ['process_id', 'subject_id', 'standard_code', 'provider_id', 'state', 'position'] as const satisfies readonly (keyof typeof CERTIFICATE_COLUMNS)[];

/** A certificate's provenance read through `reader` (inside a snapshot the caller holds), by a folio already normalised. */
export async function provenanceOf(reader: ReadModelReader, folio: string, scope: { readonly state?: string } = {}): Promise<CertificateProvenance> {
  const [certificate] = (await reader.query(
    `SELECT ${selectColumns(CERTIFICATE_COLUMNS, 'c', PROVENANCE_COLUMNS)} FROM read_models.certificates c WHERE c.folio = $1`,
    [folio],
  )) as CertificateRowOf<(typeof PROVENANCE_COLUMNS)[number]>[];
  if (!certificate || (scope.state !== undefined && certificate.state !== scope.state)) throw notFound('CERTIFICATE_NOT_FOUND', `No certificate with folio ${folio}`);
  const steps = await eventsOfStream(reader, `certification-${certificate.process_id}`);
  const [assignment] = await eventsOfStream(reader, `folio-${folio}`);
  const first = (type: string) => steps.find((step) => step.type === type) ?? null;
  return {
    folio,
    processId: certificate.process_id,
    subjectId: certificate.subject_id,
    standardCode: certificate.standard_code,
    enrollment: stepOf(first('CandidateEnrolled')),
    trainings: steps.filter((step) => step.type === 'TrainingRecorded').map((step) => stepOf(step)!),
    evaluations: await Promise.all(
      steps
        .filter((step) => step.type === 'EvaluationRecorded')
        .map((step) => evaluationOf(reader, step, certificate.standard_code, certificate.provider_id)),
    ),
    folioAssignment: stepOf(assignment ?? null),
    issuance: stepOf(first('CertificateIssued')),
    revocation: stepOf(first('CertificateRevoked')),
    position: certificate.position,
  };
}

/**
 * The credential a judgment counted under is the process provider's own,
 * as the ledger knew it at the judgment's position; among that provider's
 * credentials, the one the judgment recorded (its folio) is preferred.
 */
async function evaluationOf(reader: ReadModelReader, step: TimelineEntryView, standardCode: string, providerId: string): Promise<EvaluationProvenance> {
  const evaluatorId = String(step.details.evaluatorId ?? '');
  const on = tryNormaliseInstant(step.details.evaluatedAt) ?? step.occurredAt;
  const standing = on ? await standingOn(reader, evaluatorId, standardCode, on, step.position, providerId) : null;
  const recorded = standing?.credentials.find((credential) => credential.credentialFolio === step.details.credentialFolio);
  const accreditation = recorded ?? standing?.credentials[0] ?? null;
  return { ...stepOf(step)!, accreditation };
}

function stepOf(step: TimelineEntryView | null): ProvenanceStep | null {
  if (!step) return null;
  return {
    type: step.type,
    position: step.position,
    occurredAt: step.occurredAt,
    recordedAt: step.recordedAt,
    actor: step.actor,
    commandId: step.commandId,
    correlationId: step.correlationId,
    details: step.details,
  };
}
