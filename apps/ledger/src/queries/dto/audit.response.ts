import { ApiProperty } from '@nestjs/swagger';
import type {
  ActorView,
  AuditEventView,
  CertificateProvenance,
  EvaluationProvenance,
  Page,
  ProvenanceStep,
  TimelineEntryView,
} from '@ledger/read-models';
import { CredentialOnDateResponse } from './accreditation.response';

/** The OpenAPI description of the audit trail, timelines and provenance; each class implements its read model's view. */

const INSTANT_OR_NULL = { type: String, nullable: true, format: 'date-time', example: '2018-11-13T18:00:00.000Z' } as const;
const NEXT_CURSOR = { type: String, nullable: true, description: 'Pass as `cursor` for the next page; null on the last page' } as const;
const DETAILS = {
  type: 'object',
  additionalProperties: true,
  description: "What happened: the event's data without personal data (no CURP, no names)",
} as const;

export class ActorViewResponse implements ActorView {
  @ApiProperty({ type: String, nullable: true, description: 'The token subject that acted', example: 'certifier-1' }) id: string | null;
  @ApiProperty({ type: String, nullable: true, example: 'certifier' }) role: string | null;
  @ApiProperty({ type: String, nullable: true, description: 'The organization it acted for', example: 'ECE322-18' }) organizationId: string | null;
}

export class AuditEventViewResponse implements AuditEventView {
  @ApiProperty({ description: 'Global position, as a decimal string', example: '42' }) position: string;
  @ApiProperty({ example: 'CertificateIssued' }) type: string;
  @ApiProperty({ example: 'certification-6f1c2a4e-0b7d-4c61-9a55-2f0c3d9e8b11' }) stream: string;
  @ApiProperty({ ...INSTANT_OR_NULL, description: 'Business time, from the command' }) occurredAt: string | null;
  @ApiProperty({ ...INSTANT_OR_NULL, description: "The ledger's clock when it recorded the event" }) recordedAt: string | null;
  @ApiProperty({ type: ActorViewResponse }) actor: ActorViewResponse;
  @ApiProperty({ type: String, nullable: true, format: 'uuid' }) commandId: string | null;
  @ApiProperty({ type: String, nullable: true }) correlationId: string | null;
  @ApiProperty({ type: String, nullable: true }) causationId: string | null;
}

export class AuditEventPageResponse implements Page<AuditEventView> {
  @ApiProperty({ type: [AuditEventViewResponse] }) items: AuditEventViewResponse[];
  @ApiProperty(NEXT_CURSOR) nextCursor: string | null;
}

export class TimelineEntryViewResponse extends AuditEventViewResponse implements TimelineEntryView {
  @ApiProperty(DETAILS) details: Record<string, unknown>;
}

export class TimelinePageResponse implements Page<TimelineEntryView> {
  @ApiProperty({ type: [TimelineEntryViewResponse] }) items: TimelineEntryViewResponse[];
  @ApiProperty(NEXT_CURSOR) nextCursor: string | null;
}

export class ProvenanceStepResponse implements ProvenanceStep {
  @ApiProperty({ example: 'CandidateEnrolled' }) type: string;
  @ApiProperty({ example: '8' }) position: string;
  @ApiProperty(INSTANT_OR_NULL) occurredAt: string | null;
  @ApiProperty(INSTANT_OR_NULL) recordedAt: string | null;
  @ApiProperty({ type: ActorViewResponse }) actor: ActorViewResponse;
  @ApiProperty({ type: String, nullable: true, format: 'uuid' }) commandId: string | null;
  @ApiProperty({ type: String, nullable: true }) correlationId: string | null;
  @ApiProperty(DETAILS) details: Record<string, unknown>;
}

export class EvaluationProvenanceResponse extends ProvenanceStepResponse implements EvaluationProvenance {
  @ApiProperty({
    type: CredentialOnDateResponse,
    nullable: true,
    description:
      "The process provider's credential the judgment counted under, as the ledger knew it at the judgment's position; null when there was none",
  })
  accreditation: CredentialOnDateResponse | null;
}

export class CertificateProvenanceResponse implements CertificateProvenance {
  @ApiProperty({ example: '7K3M-9QXD-2HBT-B' }) folio: string;
  @ApiProperty({ format: 'uuid' }) processId: string;
  @ApiProperty({ description: 'Opaque id of the holder (keyed hash of the CURP)' }) subjectId: string;
  @ApiProperty({ example: 'EC0105' }) standardCode: string;
  @ApiProperty({ type: ProvenanceStepResponse, nullable: true }) enrollment: ProvenanceStepResponse | null;
  @ApiProperty({ type: [ProvenanceStepResponse] }) trainings: ProvenanceStepResponse[];
  @ApiProperty({ type: [EvaluationProvenanceResponse] }) evaluations: EvaluationProvenanceResponse[];
  @ApiProperty({ type: ProvenanceStepResponse, nullable: true, description: 'The folio stream recording which process took the folio' })
  folioAssignment: ProvenanceStepResponse | null;
  @ApiProperty({ type: ProvenanceStepResponse, nullable: true }) issuance: ProvenanceStepResponse | null;
  @ApiProperty({ type: ProvenanceStepResponse, nullable: true }) revocation: ProvenanceStepResponse | null;
  @ApiProperty({ description: "Position of the certificate's last change", example: '42' }) position: string;
}
