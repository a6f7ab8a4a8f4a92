import { ApiProperty } from '@nestjs/swagger';
import { IsInt, IsString, Max, MaxLength, Min } from 'class-validator';
import { IsFreeText } from '../../platform/http/free-text.validator';

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
  @MaxLength(500)
  title: string;

  @ApiProperty({ example: 5, minimum: 1, maximum: 10, description: 'Certificates are valid for this many years' })
  @IsInt()
  @Min(1)
  @Max(10)
  validityYears: number;
}
