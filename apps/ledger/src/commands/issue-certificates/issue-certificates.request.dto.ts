import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ArrayMaxSize, ArrayMinSize, ArrayUnique, IsArray, IsOptional, IsUUID, Matches } from 'class-validator';
import { INSTANT, INSTANT_MESSAGE } from '@ledger/platform';

/** A ceremony delivers hundreds or thousands of certificates (2,000 in Baja California, 2018). */
export const MAX_BATCH_SIZE = 5_000;

export class IssueCertificatesRequest {
  @ApiProperty({ type: [String], format: 'uuid', maxItems: MAX_BATCH_SIZE, description: 'Processes to certify, each once' })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(MAX_BATCH_SIZE)
  @ArrayUnique()
  @IsUUID('all', { each: true })
  processIds: string[];

  @ApiPropertyOptional({ example: '2018-11-13T17:00:00Z', description: 'Business time of issuance for every item; defaults to now' })
  @IsOptional()
  @Matches(INSTANT, { message: INSTANT_MESSAGE })
  issuedAt?: string;
}
