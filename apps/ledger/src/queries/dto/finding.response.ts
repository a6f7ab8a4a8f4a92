import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, Matches } from 'class-validator';
import { FINDING_KINDS } from '@ledger/projections';
import type { FindingView } from '@ledger/read-models';
import { PageQuery, POSITION_SCHEMA } from './read-query.dto';
import { CALENDAR_DATE, CALENDAR_DATE_MESSAGE, IDENTIFIER, IDENTIFIER_MESSAGE } from '@ledger/platform';

const SEVERITIES = ['medium', 'high'];

export class FindingsQuery extends PageQuery {
  @ApiPropertyOptional({ enum: FINDING_KINDS })
  @IsOptional()
  @IsIn(FINDING_KINDS)
  kind?: string;

  @ApiPropertyOptional({ enum: SEVERITIES })
  @IsOptional()
  @IsIn(SEVERITIES)
  severity?: string;

  @ApiPropertyOptional({ example: 'ECE322-18' })
  @IsOptional()
  @Matches(IDENTIFIER, { message: `providerId ${IDENTIFIER_MESSAGE}` })
  providerId?: string;

  @ApiPropertyOptional({ example: 'eval-0007' })
  @IsOptional()
  @Matches(IDENTIFIER, { message: `evaluatorId ${IDENTIFIER_MESSAGE}` })
  evaluatorId?: string;

  @ApiPropertyOptional({ description: 'Findings about business days on or after this one', example: '2019-01-01' })
  @IsOptional()
  @Matches(CALENDAR_DATE, { message: `from ${CALENDAR_DATE_MESSAGE}` })
  from?: string;

  @ApiPropertyOptional({ description: 'Findings about business days on or before this one', example: '2019-12-31' })
  @IsOptional()
  @Matches(CALENDAR_DATE, { message: `to ${CALENDAR_DATE_MESSAGE}` })
  to?: string;
}

export class FindingSubjectResponse {
  @ApiProperty({ enum: ['certificate', 'evaluator', 'evidence', 'provider'] }) type: string;
  @ApiProperty({ description: 'A folio, an evaluator id, an evidence digest or a provider id', example: 'eval-0007' }) id: string;
}

export class FindingResponse implements FindingView {
  @ApiProperty({ example: 'F-3A9C0B7D21E4F5A6B7C8', description: 'Stable: the same finding keeps its id across rebuilds and event stores' }) findingId: string;
  @ApiProperty({ enum: FINDING_KINDS }) kind: string;
  @ApiProperty({ enum: SEVERITIES }) severity: string;
  @ApiProperty({ type: FindingSubjectResponse }) subject: FindingSubjectResponse;
  @ApiProperty({ type: String, nullable: true }) providerId: string | null;
  @ApiProperty({ type: String, nullable: true }) evaluatorId: string | null;
  @ApiProperty({ type: String, nullable: true, description: 'The business day it concerns (Mexico City time)', example: '2019-06-04' }) occurredOn: string | null;
  @ApiProperty({ example: 'Evaluator eval-0007 recorded 34 judgments on 2019-06-04 (Mexico City time), more than the 12 an evaluator can do in one business day.' })
  summary: string;
  @ApiProperty({ type: 'object', additionalProperties: true, description: 'The figures behind the summary', example: { judgments: 34, threshold: 12 } })
  details: Record<string, unknown>;
  @ApiProperty({ type: [String], description: 'States of the candidates involved', example: ['QR'] }) states: string[];
  @ApiProperty({ type: 'integer', example: 34 }) eventCount: number;
  @ApiProperty({ type: [String], description: `Positions of the events that show it, in log order (the first 1,000)`, example: ['1042', '1045'] }) positions: string[];
  @ApiProperty({ ...POSITION_SCHEMA, description: 'The event that raised it' }) raisedAt: string;
  @ApiProperty({ ...POSITION_SCHEMA, description: 'The latest event added to it' }) position: string;
}

export class FindingListResponse {
  @ApiProperty({ type: [FindingResponse] }) items: FindingResponse[];
  @ApiProperty({ type: String, nullable: true, description: 'Pass as cursor for the next page; null on the last' }) nextCursor: string | null;
}
