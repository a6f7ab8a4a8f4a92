import { ApiProperty } from '@nestjs/swagger';
import { IsInt, IsString, Max, MaxLength, Min } from 'class-validator';
import { IsFreeText } from '../../platform/http/free-text.validator';
import { MAX_TEXT_LENGTH, MAX_VALIDITY_YEARS, MIN_VALIDITY_YEARS } from '@ledger/domain';

export class RegisterStandardRequest {
  @ApiProperty({ example: 'EC0105', description: 'EC followed by 4 digits' })
  @IsString()
  @IsFreeText()
  @MaxLength(16)
  code: string;

  @ApiProperty({ example: '01', description: 'The published version suffix (EC0105.01)' })
  @IsString()
  @IsFreeText()
  @MaxLength(8)
  version: string;

  @ApiProperty({ example: 'Atención al ciudadano en el sector público' })
  @IsString()
  @IsFreeText()
  @MaxLength(MAX_TEXT_LENGTH)
  title: string;

  @ApiProperty({ example: 5, minimum: MIN_VALIDITY_YEARS, maximum: MAX_VALIDITY_YEARS, description: 'Certificates are valid for this many years' })
  @IsInt()
  @Min(MIN_VALIDITY_YEARS)
  @Max(MAX_VALIDITY_YEARS)
  validityYears: number;
}
