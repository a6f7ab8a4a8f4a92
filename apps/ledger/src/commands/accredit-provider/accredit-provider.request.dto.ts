import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ArrayMaxSize, ArrayMinSize, IsIn, IsOptional, IsString, Matches, MaxLength } from 'class-validator';
import { IsFreeText } from '../../platform/http/free-text.validator';
import type { ProviderKind } from '@ledger/domain';
import { CALENDAR_DATE, CALENDAR_DATE_MESSAGE, IDENTIFIER, IDENTIFIER_MESSAGE } from '@ledger/platform';
import { MAX_STANDARDS_PER_ACCREDITATION, MAX_TEXT_LENGTH } from '@ledger/domain';

export const PROVIDER_KINDS: readonly ProviderKind[] = ['ECE', 'OC', 'CE'];

export class AccreditProviderRequest {
  @ApiProperty({ example: 'ECE322-18' })
  @Matches(IDENTIFIER, { message: IDENTIFIER_MESSAGE })
  providerId: string;

  @ApiProperty({ enum: PROVIDER_KINDS })
  @IsIn(PROVIDER_KINDS)
  kind: ProviderKind;

  @ApiProperty({ example: 'Instituto de Capacitación de Baja California' })
  @IsString()
  @IsFreeText()
  @MaxLength(MAX_TEXT_LENGTH)
  name: string;

  @ApiProperty({ example: 'ECE322-18' })
  @IsString()
  @IsFreeText()
  @MaxLength(64)
  accreditationCode: string;

  @ApiProperty({ type: [String], example: ['EC0105'] })
  @IsString({ each: true })
  @MaxLength(16, { each: true })
  @ArrayMinSize(1)
  @ArrayMaxSize(MAX_STANDARDS_PER_ACCREDITATION)
  standards: string[];

  @ApiProperty({ example: '2018-01-01', description: 'Calendar date, inclusive' })
  @Matches(CALENDAR_DATE, { message: CALENDAR_DATE_MESSAGE })
  validFrom: string;

  @ApiProperty({ example: '2026-12-31', description: 'Calendar date, inclusive' })
  @Matches(CALENDAR_DATE, { message: CALENDAR_DATE_MESSAGE })
  validUntil: string;

  @ApiPropertyOptional({ description: 'For a CE: the ECE or OC that proposed it' })
  @IsOptional()
  @Matches(IDENTIFIER, { message: IDENTIFIER_MESSAGE })
  parentProviderId?: string;
}
