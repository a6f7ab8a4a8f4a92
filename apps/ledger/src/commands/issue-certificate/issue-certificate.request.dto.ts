import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, Matches } from 'class-validator';
import { INSTANT, INSTANT_MESSAGE } from '@ledger/platform';

export class IssueCertificateRequest {
  @ApiPropertyOptional({ example: '2018-11-13T17:00:00Z', description: 'Business time of issuance; defaults to now; never in the future' })
  @IsOptional()
  @Matches(INSTANT, { message: INSTANT_MESSAGE })
  issuedAt?: string;
}
