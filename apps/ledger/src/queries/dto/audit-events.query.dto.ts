import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, Matches } from 'class-validator';
import { PageQuery, QUERY_TEXT, QUERY_TEXT_MESSAGE, ReadQuery } from './read-query.dto';
import { INSTANT, INSTANT_MESSAGE } from '@ledger/platform';

const ROLES = ['authority', 'certifier', 'registrar', 'evaluator', 'comptroller', 'privacy', 'system'];

export class AuditEventsQuery extends PageQuery {
  @ApiPropertyOptional({ description: 'The acting token subject' })
  @IsOptional()
  @Matches(QUERY_TEXT, { message: QUERY_TEXT_MESSAGE })
  actorId?: string;

  @ApiPropertyOptional({ enum: ROLES })
  @IsOptional()
  @IsIn(ROLES)
  role?: string;

  @ApiPropertyOptional({ description: 'The organization the actor acted for' })
  @IsOptional()
  @Matches(QUERY_TEXT, { message: QUERY_TEXT_MESSAGE })
  organizationId?: string;

  @ApiPropertyOptional({ description: 'Event type', example: 'CertificateIssued' })
  @IsOptional()
  @Matches(QUERY_TEXT, { message: QUERY_TEXT_MESSAGE })
  type?: string;

  @ApiPropertyOptional({ example: 'certification-6f1c…' })
  @IsOptional()
  @Matches(QUERY_TEXT, { message: QUERY_TEXT_MESSAGE })
  streamId?: string;

  @ApiPropertyOptional({ description: 'Business time (occurredAt) on or after' })
  @IsOptional()
  @Matches(INSTANT, { message: INSTANT_MESSAGE })
  from?: string;

  @ApiPropertyOptional({ description: 'Business time (occurredAt) on or before; a date covers the whole day' })
  @IsOptional()
  @Matches(INSTANT, { message: INSTANT_MESSAGE })
  to?: string;
}

export class EvaluatorAccreditationQuery extends ReadQuery {
  @ApiProperty({ description: 'Standard code', example: 'EC0105' })
  @Matches(QUERY_TEXT, { message: QUERY_TEXT_MESSAGE })
  standard: string;

  @ApiProperty({ description: 'The date (or instant) asked about', example: '2018-11-01' })
  @Matches(INSTANT, { message: INSTANT_MESSAGE })
  on: string;
}
