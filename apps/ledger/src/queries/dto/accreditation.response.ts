import { ApiProperty } from '@nestjs/swagger';
import type { AccreditationStanding, CredentialOnDate, EvaluatorAccreditationView } from '@ledger/read-models';

/** An evaluator's credential (cédula) for one standard, as the registry read model holds it. */
export class EvaluatorAccreditationViewResponse implements EvaluatorAccreditationView {
  @ApiProperty({ example: 'eval-0007' }) evaluatorId: string;
  @ApiProperty({ example: 'EC0105' }) standardCode: string;
  @ApiProperty({ example: 'CED-2018-000123' }) credentialFolio: string;
  @ApiProperty({ description: 'The provider that issued the credential and owns it', example: 'ECE322-18' }) providerId: string;
  @ApiProperty({
    type: String,
    nullable: true,
    format: 'date',
    description: 'Calendar date the credential is in force from; null where the log held none (it then starts when recorded)',
    example: '2018-01-15',
  })
  validFrom: string | null;
  @ApiProperty({ format: 'date-time', description: 'When the credential was recorded' }) accreditedAt: string;
  @ApiProperty({ format: 'date', example: '2030-12-31' }) validUntil: string;
  @ApiProperty({ type: String, nullable: true, format: 'date-time' }) revokedAt: string | null;
  @ApiProperty({ type: String, nullable: true }) revocationReason: string | null;
  @ApiProperty({ example: '5' }) position: string;
}

/** One provider's credential for the standard as it applied on the date asked about. */
export class CredentialOnDateResponse extends EvaluatorAccreditationViewResponse implements CredentialOnDate {
  @ApiProperty({ description: 'Whether the credential was in force on that date, as the ledger knew it' }) inForce: boolean;
}

export class AccreditationStandingResponse implements AccreditationStanding {
  @ApiProperty({ example: 'eval-0007' }) evaluatorId: string;
  @ApiProperty({ example: 'EC0105' }) standardCode: string;
  @ApiProperty({ format: 'date-time', description: 'The instant asked about (a date reads as its midnight, UTC)', example: '2018-11-01T00:00:00.000Z' }) on: string;
  @ApiProperty({ description: 'Whether a credential of some provider for the standard was in force then' }) accredited: boolean;
  @ApiProperty({
    type: EvaluatorAccreditationViewResponse,
    nullable: true,
    description: 'The credential that applied: one in force if any, else the latest that governed or was granted; null when none exists',
  })
  accreditation: EvaluatorAccreditationViewResponse | null;
  @ApiProperty({ type: [CredentialOnDateResponse], description: 'Per provider holding a credential for the standard, the one that applied on that date' })
  credentials: CredentialOnDateResponse[];
}
