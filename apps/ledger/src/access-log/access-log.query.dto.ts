import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, Matches, MaxLength, ValidateBy } from 'class-validator';
import { PageQuery, QUERY_TEXT, QUERY_TEXT_MESSAGE } from '../queries/dto/read-query.dto';
import { containsCurpShape, ROUTE_PATTERN, SUBJECT_ID } from './access-log-entry';
import { INSTANT, INSTANT_MESSAGE } from '@ledger/platform';

const ROLES = ['authority', 'certifier', 'registrar', 'evaluator', 'comptroller', 'privacy'];
const CORRELATION_ID = /^[A-Za-z0-9._:@\-]{1,128}$/;

/** Never a CURP in a URL (API.md): an actor whose token named them by CURP is found by `subject-<subjectId>`. */
function IsNotCurp(): PropertyDecorator {
  return ValidateBy({
    name: 'isNotCurp',
    validator: {
      validate: (value) => typeof value === 'string' && !containsCurpShape(value),
      defaultMessage: (args) => `${args?.property} must not hold a CURP: an actor named by CURP is recorded as subject-<subjectId>`,
    },
  });
}

export class AccessLogQuery extends PageQuery {
  @ApiPropertyOptional({ description: 'Entries that showed this subject', pattern: SUBJECT_ID.source })
  @IsOptional()
  @Matches(SUBJECT_ID, { message: 'subjectId must be 64 lower-case hexadecimal characters' })
  subjectId?: string;

  @ApiPropertyOptional({ description: 'The reading token subject (a CURP in it is recorded, and asked for, as subject-<subjectId>)' })
  @IsOptional()
  @Matches(QUERY_TEXT, { message: QUERY_TEXT_MESSAGE })
  @IsNotCurp()
  actorId?: string;

  @ApiPropertyOptional({ enum: ROLES, description: "The reader's role" })
  @IsOptional()
  @IsIn(ROLES)
  role?: string;

  @ApiPropertyOptional({ description: 'The organization the reader acted for' })
  @IsOptional()
  @Matches(QUERY_TEXT, { message: QUERY_TEXT_MESSAGE })
  organizationId?: string;

  @ApiPropertyOptional({ description: 'The route pattern, as API.md writes it', example: '/v1/certificates/{folio}', maxLength: 200 })
  @IsOptional()
  @MaxLength(200)
  @Matches(ROUTE_PATTERN, { message: 'route must be a route pattern such as /v1/certificates/{folio}' })
  route?: string;

  @ApiPropertyOptional({ description: "The answer's X-Correlation-Id" })
  @IsOptional()
  @Matches(CORRELATION_ID, { message: 'correlationId must be 1 to 128 letters, digits or ._:@-' })
  correlationId?: string;

  @ApiPropertyOptional({ description: 'Read on or after (a date or an instant)' })
  @IsOptional()
  @Matches(INSTANT, { message: INSTANT_MESSAGE })
  from?: string;

  @ApiPropertyOptional({ description: 'Read on or before; a date covers the whole day' })
  @IsOptional()
  @Matches(INSTANT, { message: INSTANT_MESSAGE })
  to?: string;
}
