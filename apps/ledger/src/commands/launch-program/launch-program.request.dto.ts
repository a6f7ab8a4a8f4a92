import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ArrayMaxSize, ArrayMinSize, IsDefined, IsInt, IsNumber, IsObject, IsOptional, IsString, Matches, Max, MaxLength, Min, ValidateNested } from 'class-validator';
import { MAX_PROGRAM_NAME_LENGTH, MAX_PROGRAM_STANDARDS, MAX_PROGRAM_TARGET, PROGRAM_ID_PATTERN } from '@ledger/domain';
import { IsFreeText } from '../../platform/http/free-text.validator';
import { JurisdictionRequest } from '../enroll-candidate/enroll-candidate.request.dto';
import { CALENDAR_DATE, CALENDAR_DATE_MESSAGE } from '@ledger/platform';

export const PROGRAM_ID_MESSAGE = 'must be 1 to 64 letters, digits, dots, underscores or hyphens, starting with a letter or digit';

/** Either `count`, or `share` and `workforce`: the domain refuses any other combination (PROGRAM_TARGET_INVALID). */
export class ProgramTargetRequest {
  @ApiPropertyOptional({ example: 600, minimum: 1, maximum: MAX_PROGRAM_TARGET, description: 'Public servants to certify' })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(MAX_PROGRAM_TARGET)
  count?: number;

  @ApiPropertyOptional({ example: 0.5, exclusiveMinimum: true, minimum: 0, maximum: 1, description: 'A fraction of the workforce: 0.5 for half' })
  @IsOptional()
  @IsNumber({ allowNaN: false, allowInfinity: false })
  @Min(0)
  @Max(1)
  share?: number;

  @ApiPropertyOptional({ example: 16_270, minimum: 1, maximum: MAX_PROGRAM_TARGET, description: 'The size of the workforce the share is of' })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(MAX_PROGRAM_TARGET)
  workforce?: number;
}

export class LaunchProgramRequest {
  @ApiProperty({ example: 'tijuana-2018', pattern: PROGRAM_ID_PATTERN.source })
  @Matches(PROGRAM_ID_PATTERN, { message: `programId ${PROGRAM_ID_MESSAGE}` })
  programId: string;

  @ApiProperty({ example: 'Certificación de servidores públicos del Ayuntamiento de Tijuana 2018' })
  @IsString()
  @IsFreeText()
  @MaxLength(MAX_PROGRAM_NAME_LENGTH)
  name: string;

  @ApiProperty({ type: JurisdictionRequest, description: 'Certificates issued in this state (and municipality, when given) count' })
  @IsDefined()
  @IsObject()
  @ValidateNested()
  @Type(() => JurisdictionRequest)
  jurisdiction: JurisdictionRequest;

  @ApiProperty({ type: [String], example: ['EC0105'] })
  @IsString({ each: true })
  @MaxLength(16, { each: true })
  @ArrayMinSize(1)
  @ArrayMaxSize(MAX_PROGRAM_STANDARDS)
  standards: string[];

  @ApiProperty({ example: '2018-01-01', description: 'First day of the period, inclusive' })
  @Matches(CALENDAR_DATE, { message: CALENDAR_DATE_MESSAGE })
  startsOn: string;

  @ApiProperty({ example: '2018-12-31', description: 'Last day of the period, inclusive' })
  @Matches(CALENDAR_DATE, { message: CALENDAR_DATE_MESSAGE })
  endsOn: string;

  @ApiProperty({ type: ProgramTargetRequest, description: '`{count}` or `{share, workforce}`' })
  @IsDefined()
  @IsObject()
  @ValidateNested()
  @Type(() => ProgramTargetRequest)
  target: ProgramTargetRequest;
}
