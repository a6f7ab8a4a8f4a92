import { ApiProperty } from '@nestjs/swagger';
import { CERTIFICATE_STATUSES, CSV_COLUMNS, type CertificateStatus, type TransparencyReportRow } from '@ledger/read-models';
import { CertificateJurisdictionResponse } from './certificate.response';

/**
 * The JSON transparency report. The report is streamed by the renderer, not
 * returned as an object, so this class mirrors what renderTransparencyJson
 * writes: the head (asOf, position, totals) and the rows.
 */
export class TransparencyTotalsResponse implements Record<CertificateStatus, number> {
  @ApiProperty({ type: 'integer', example: 2000 }) valid: number;
  @ApiProperty({ type: 'integer', example: 3 }) revoked: number;
  @ApiProperty({ type: 'integer', example: 0 }) expired: number;
}

export class TransparencyReportRowResponse implements TransparencyReportRow {
  @ApiProperty({ example: '7K3M-9QXD-2HBT-B' }) folio: string;
  @ApiProperty({ type: String, nullable: true, description: "The holder's name as the ledger knew it at the report's position" }) holderName: string | null;
  @ApiProperty({ example: 'EC0105' }) standardCode: string;
  @ApiProperty({ example: 'ECE322-18' }) providerId: string;
  @ApiProperty({ type: String, nullable: true, example: 'Secretaría de Hacienda' }) agency: string | null;
  @ApiProperty({ type: CertificateJurisdictionResponse }) jurisdiction: CertificateJurisdictionResponse;
  @ApiProperty({ type: String, nullable: true, example: 'base' }) employment: string | null;
  @ApiProperty({ format: 'date-time' }) issuedAt: string;
  @ApiProperty({ format: 'date-time' }) validUntil: string;
  @ApiProperty({ enum: [...CERTIFICATE_STATUSES], description: 'Status as it stood on asOf' }) status: CertificateStatus;
}

export class TransparencyReportResponse {
  @ApiProperty({ description: 'The business date (or canonical instant) described, as asked', example: '2018-11-13' }) asOf: string;
  @ApiProperty({ description: 'The position the report was computed at, as a decimal string', example: '1042' }) position: string;
  @ApiProperty({ type: TransparencyTotalsResponse }) totals: TransparencyTotalsResponse;
  @ApiProperty({ type: [TransparencyReportRowResponse], description: 'Ordered by folio; never a CURP' }) certificates: TransparencyReportRowResponse[];
}

/** The CSV form: a byte order mark, a header line, then one line per certificate. */
export const TRANSPARENCY_CSV_SCHEMA = {
  type: 'string',
  description: `UTF-8 with a byte order mark; columns: ${CSV_COLUMNS.join(', ')}`,
  example: `${CSV_COLUMNS.join(',')}\n7K3M-9QXD-2HBT-B,ANA LÓPEZ PÉREZ,EC0105,ECE322-18,Secretaría de Hacienda,BC,Tijuana,base,2018-11-13T18:00:00.000Z,2023-11-13T18:00:00.000Z,valid\n`,
} as const;
