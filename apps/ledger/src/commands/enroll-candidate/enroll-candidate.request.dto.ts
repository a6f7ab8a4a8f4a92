import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsDefined, IsIn, IsObject, IsOptional, IsString, Matches, MaxLength, ValidateNested } from 'class-validator';
import { IsFreeText } from '../../platform/http/free-text.validator';
import type { Employment } from '@ledger/domain';
import { IDENTIFIER, IDENTIFIER_MESSAGE, INSTANT, INSTANT_MESSAGE } from '@ledger/platform';
import { MAX_AGENCY_LENGTH, MAX_MUNICIPALITY_LENGTH, MAX_NAME_LENGTH } from '@ledger/domain';

export const EMPLOYMENTS: readonly Employment[] = ['base', 'confianza', 'honorarios', 'other'];

export class JurisdictionRequest {
  @ApiProperty({ example: 'BC', description: 'State code (CMX for Mexico City)' })
  @IsString()
  @IsFreeText()
  @MaxLength(3)
  state: string;

  @ApiPropertyOptional({ example: 'Tijuana' })
  @IsOptional()
  @IsString()
  @IsFreeText()
  @MaxLength(MAX_MUNICIPALITY_LENGTH)
  municipality?: string;
}

export class EnrollCandidateRequest {
  @ApiProperty({ description: 'Personal data: kept only on the person stream, never in logs' })
  @IsString()
  @IsFreeText()
  @MaxLength(64)
  curp: string;

  @ApiProperty({ description: 'Personal data: kept only on the person stream' })
  @IsString()
  @IsFreeText()
  @MaxLength(MAX_NAME_LENGTH)
  fullName: string;

  @ApiProperty({ example: 'EC0105' })
  @IsString()
  @IsFreeText()
  @MaxLength(16)
  standardCode: string;

  @ApiProperty({ example: 'ECE322-18', description: 'The certifying provider (ECE or OC)' })
  @Matches(IDENTIFIER, { message: IDENTIFIER_MESSAGE })
  providerId: string;

  @ApiProperty({ example: 'Secretaría de Hacienda del Estado' })
  @IsString()
  @IsFreeText()
  @MaxLength(MAX_AGENCY_LENGTH)
  agency: string;

  @ApiProperty({ type: JurisdictionRequest })
  @IsDefined()
  @IsObject()
  @ValidateNested()
  @Type(() => JurisdictionRequest)
  jurisdiction: JurisdictionRequest;

  @ApiProperty({ enum: EMPLOYMENTS })
  @IsIn(EMPLOYMENTS)
  employment: Employment;

  @ApiPropertyOptional({ description: 'Business time of the enrollment; defaults to now; never in the future' })
  @IsOptional()
  @Matches(INSTANT, { message: INSTANT_MESSAGE })
  enrolledAt?: string;
}
