import { ApiProperty } from '@nestjs/swagger';
import type { EnrollmentView } from '@ledger/read-models';
import { TimelineEntryViewResponse } from './audit.response';

export class EnrollmentJurisdictionResponse {
  @ApiProperty({ description: 'State code', example: 'BC' }) state: string;
  @ApiProperty({ type: String, nullable: true, example: 'Tijuana' }) municipality: string | null;
}

/** A certification process and its steps, as the enrollment query answers it. */
export class EnrollmentViewResponse implements EnrollmentView {
  @ApiProperty({ format: 'uuid' }) processId: string;
  @ApiProperty({ description: 'Opaque id of the candidate (keyed hash of the CURP)' }) subjectId: string;
  @ApiProperty({ example: 'EC0105' }) standardCode: string;
  @ApiProperty({ example: '01' }) standardVersion: string;
  @ApiProperty({ example: 'ECE322-18' }) providerId: string;
  @ApiProperty({ description: 'The evaluation centre that enrolled the candidate (or the provider itself)', example: 'CECATI-149' }) centreId: string;
  @ApiProperty({ example: 'Secretaría de Hacienda' }) agency: string;
  @ApiProperty({ type: EnrollmentJurisdictionResponse }) jurisdiction: EnrollmentJurisdictionResponse;
  @ApiProperty({ description: 'base, confianza, honorarios or other', example: 'base' }) employment: string;
  @ApiProperty({ type: String, nullable: true, format: 'date-time', description: 'Null only for an enrollment written into the log without a usable date' }) enrolledAt: string | null;
  @ApiProperty({ description: 'enrolled, evaluated, certified or revoked', example: 'certified' }) status: string;
  @ApiProperty({ type: String, nullable: true, description: 'competent or not_yet_competent', example: 'competent' }) lastEvaluationResult: string | null;
  @ApiProperty({ type: String, nullable: true, example: 'eval-0007' }) evaluatorId: string | null;
  @ApiProperty({ type: String, nullable: true, format: 'date-time' }) evaluatedAt: string | null;
  @ApiProperty({ type: String, nullable: true, example: '7K3M-9QXD-2HBT-B' }) folio: string | null;
  @ApiProperty({ type: String, nullable: true, format: 'date-time' }) issuedAt: string | null;
  @ApiProperty({ type: String, nullable: true, format: 'date-time' }) revokedAt: string | null;
  @ApiProperty({ description: 'Sum of the training hours recorded', example: 20 }) trainingHours: number;
  @ApiProperty({ type: [TimelineEntryViewResponse], description: 'Every event of the process, in order, with who recorded it' }) steps: TimelineEntryViewResponse[];
  @ApiProperty({ description: "Position of the process's last change", example: '42' }) position: string;
}
