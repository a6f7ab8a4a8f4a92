import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, Matches, MaxLength } from 'class-validator';
import { IsFreeText } from '../../platform/http/free-text.validator';
import { INSTANT, INSTANT_MESSAGE } from '@ledger/platform';
import { MAX_TEXT_LENGTH } from '@ledger/domain';

export class RevokeCertificateRequest {
  @ApiProperty({ example: 'Evidence found to be fabricated' })
  @IsString()
  @IsFreeText()
  @MaxLength(MAX_TEXT_LENGTH)
  reason: string;

  @ApiPropertyOptional({ description: 'Business time of the revocation; defaults to now; never in the future' })
  @IsOptional()
  @Matches(INSTANT, { message: INSTANT_MESSAGE })
  revokedAt?: string;
}
