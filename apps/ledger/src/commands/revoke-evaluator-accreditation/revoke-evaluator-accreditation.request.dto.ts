import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, Matches, MaxLength } from 'class-validator';
import { IsFreeText } from '../../platform/http/free-text.validator';
import { IDENTIFIER, IDENTIFIER_MESSAGE } from '@ledger/platform';
import { MAX_TEXT_LENGTH } from '@ledger/domain';

export class RevokeEvaluatorAccreditationRequest {
  @ApiProperty({ example: 'EC0105' })
  @IsString()
  @IsFreeText()
  @MaxLength(16)
  standardCode: string;

  @ApiPropertyOptional({
    example: 'ECE322-18',
    description:
      "Whose credential: a certifier's own provider (the default; another is refused); an authority names it when several providers hold credentials for the standard",
  })
  @IsOptional()
  @Matches(IDENTIFIER, { message: IDENTIFIER_MESSAGE })
  providerId?: string;

  @ApiProperty({ example: 'Conflict of interest found in audit' })
  @IsString()
  @IsFreeText()
  @MaxLength(MAX_TEXT_LENGTH)
  reason: string;
}
