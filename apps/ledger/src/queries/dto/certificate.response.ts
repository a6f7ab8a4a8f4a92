import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { CERTIFICATE_STATUSES, type CertificateStatus, type CertificateView, type Page, type PublicCertificateView } from '@ledger/read-models';

/**
 * The OpenAPI description of what the certificate queries answer. Each class
 * implements the read model's view, so a field added to or retyped in the view
 * fails the type check until its documentation follows.
 */

const FOLIO = { description: 'The public folio `XXXX-XXXX-XXXX-C`', example: '7K3M-9QXD-2HBT-B' } as const;
const INSTANT = { format: 'date-time', example: '2018-11-13T18:00:00.000Z' } as const;

export class CertificateJurisdictionResponse {
  @ApiProperty({ type: String, nullable: true, description: 'State code', example: 'BC' }) state: string | null;
  @ApiProperty({ type: String, nullable: true, example: 'Tijuana' }) municipality: string | null;
}

export class CertificateViewResponse implements CertificateView {
  @ApiProperty(FOLIO) folio: string;
  @ApiProperty({ enum: [...CERTIFICATE_STATUSES], description: 'Status now: revoked wins, then expired past validUntil' }) status: CertificateStatus;
  @ApiProperty({ example: 'EC0105' }) standardCode: string;
  @ApiProperty({ type: String, nullable: true, description: "The holder's current name; null when the ledger holds none" }) holderName: string | null;
  @ApiProperty({ description: 'Opaque id of the holder (keyed hash of the CURP), never the CURP' }) subjectId: string;
  @ApiProperty({ example: 'ECE322-18' }) providerId: string;
  @ApiProperty({ example: 'eval-0007' }) evaluatorId: string;
  @ApiProperty({ type: String, nullable: true, example: 'Secretaría de Hacienda' }) agency: string | null;
  @ApiProperty({ type: CertificateJurisdictionResponse }) jurisdiction: CertificateJurisdictionResponse;
  @ApiProperty({ type: String, nullable: true, description: 'base, confianza, honorarios or other', example: 'base' }) employment: string | null;
  @ApiProperty(INSTANT) issuedAt: string;
  @ApiProperty({ ...INSTANT, example: '2023-11-13T18:00:00.000Z' }) validUntil: string;
  @ApiPropertyOptional({ ...INSTANT, description: 'Present once revoked', example: '2019-02-18T17:00:00.000Z' }) revokedAt?: string;
  @ApiPropertyOptional({ description: 'Present once revoked', example: 'Evidencia apócrifa' }) revocationReason?: string;
  @ApiPropertyOptional({ description: 'The folio printed on a paper certificate issued before the ledger, kept as it was (`ledger import`)', example: 'D-2017/000123' })
  printedFolio?: string;
  @ApiProperty({ description: 'Position of the last event that changed the certificate, as a decimal string', example: '42' }) position: string;
}

export class CertificatePageResponse implements Page<CertificateView> {
  @ApiProperty({ type: [CertificateViewResponse] }) items: CertificateViewResponse[];
  @ApiProperty({ type: String, nullable: true, description: 'Pass as `cursor` for the next page; null on the last page' }) nextCursor: string | null;
}

export class PublicCertificateViewResponse implements PublicCertificateView {
  @ApiProperty(FOLIO) folio: string;
  @ApiProperty({ type: String, nullable: true, description: "The holder's name; null when the ledger holds none" }) holderName: string | null;
  @ApiProperty({ example: 'EC0105' }) standardCode: string;
  @ApiProperty({ type: String, nullable: true, example: 'Atención al ciudadano en el sector público' }) standardTitle: string | null;
  @ApiProperty({ example: 'ECE322-18' }) providerId: string;
  @ApiProperty({ type: String, nullable: true, example: 'ECE de Baja California' }) providerName: string | null;
  @ApiProperty(INSTANT) issuedAt: string;
  @ApiProperty({ ...INSTANT, example: '2023-11-13T18:00:00.000Z' }) validUntil: string;
  @ApiProperty({ enum: [...CERTIFICATE_STATUSES] }) status: CertificateStatus;
  @ApiPropertyOptional({ ...INSTANT, description: 'Present once revoked', example: '2019-02-18T17:00:00.000Z' }) revokedAt?: string;
}
