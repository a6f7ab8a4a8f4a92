import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ArrayMaxSize, ArrayMinSize, IsOptional, IsString, Matches, MaxLength } from 'class-validator';
import { IsFreeText } from '../../platform/http/free-text.validator';
import { CALENDAR_DATE, CALENDAR_DATE_MESSAGE, IDENTIFIER, IDENTIFIER_MESSAGE } from '@ledger/platform';
import { MAX_NAME_LENGTH, MAX_STANDARDS_PER_ACCREDITATION } from '@ledger/domain';

export class AccreditEvaluatorRequest {
  @ApiProperty({ example: 'eval-0042', description: "The evaluator's id; tokens of this evaluator carry it as `sub`" })
  @Matches(IDENTIFIER, { message: IDENTIFIER_MESSAGE })
  evaluatorId: string;

  @ApiProperty({ description: 'Personal data: kept only on the person stream' })
  @IsString()
  @IsFreeText()
  @MaxLength(64)
  curp: string;

  @ApiProperty({ description: 'Personal data: kept only on the person stream' })
  @IsString()
  @IsFreeText()
  @MaxLength(MAX_NAME_LENGTH)
  fullName: string;

  @ApiProperty({ example: 'ECE322-18', description: 'The provider issuing the credential: the caller’s organization' })
  @Matches(IDENTIFIER, { message: IDENTIFIER_MESSAGE })
  providerId: string;

  @ApiProperty({ type: [String], example: ['EC0105'] })
  @IsString({ each: true })
  @MaxLength(16, { each: true })
  @ArrayMinSize(1)
  @ArrayMaxSize(MAX_STANDARDS_PER_ACCREDITATION)
  standards: string[];

  @ApiProperty({ example: 'CED-2018-000123', description: 'The credential ("cédula") folio' })
  @IsString()
  @IsFreeText()
  @MaxLength(64)
  credentialFolio: string;

  @ApiPropertyOptional({
    example: '2018-01-15',
    description: 'Calendar date, inclusive: the credential is in force from this day; defaults to the day it is recorded. Judgments dated before it are refused.',
  })
  @IsOptional()
  @Matches(CALENDAR_DATE, { message: CALENDAR_DATE_MESSAGE })
  validFrom?: string;

  @ApiProperty({ example: '2026-12-31', description: 'Calendar date, inclusive' })
  @Matches(CALENDAR_DATE, { message: CALENDAR_DATE_MESSAGE })
  validUntil: string;
}
