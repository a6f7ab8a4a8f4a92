import { ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsOptional, IsString, MaxLength, ValidateBy } from 'class-validator';
import { DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE, parsePosition } from '@ledger/read-models';

export const POSITION_MESSAGE = 'must be a position: a decimal integer from 0 to 9223372036854775807, without sign, spaces or leading zeros';

/** The OpenAPI shape of a position in a query string (its range is checked in code: a pattern cannot say "at most 2^63 - 1"). */
export const POSITION_SCHEMA = { type: 'string', pattern: '^(0|[1-9][0-9]{0,18})$', example: '1042' } as const;

/** A ledger position in a query string: `minPosition`, `atPosition`. */
export function IsLedgerPosition(): PropertyDecorator {
  return ValidateBy({
    name: 'isLedgerPosition',
    validator: { validate: (value) => parsePosition(value) !== null, defaultMessage: (args) => `${args?.property} ${POSITION_MESSAGE}` },
  });
}

const PAGE_SIZE_TEXT = /^[1-9]\d{0,2}$/;
const PAGE_SIZE_MESSAGE = `must be a decimal integer from 1 to ${MAX_PAGE_SIZE}, without sign, spaces, exponent or leading zeros`;

/**
 * `limit` arrives as text. Only the plain decimal spelling becomes a number
 * (class-transformer's Number() would also take " 5", "1e2" and "0x10");
 * anything else stays as sent and fails the check below.
 */
function pageSizeOf({ value }: { value: unknown }): unknown {
  return typeof value === 'string' && PAGE_SIZE_TEXT.test(value) ? Number(value) : value;
}

function IsPageSize(): PropertyDecorator {
  return ValidateBy({
    name: 'isPageSize',
    validator: {
      validate: (value) => Number.isInteger(value) && (value as number) >= 1 && (value as number) <= MAX_PAGE_SIZE,
      defaultMessage: () => `limit ${PAGE_SIZE_MESSAGE}`,
    },
  });
}

/** Every query takes `minPosition` (read-your-writes); the interceptor waits for it, this only admits it. */
export class ReadQuery {
  @ApiPropertyOptional({ ...POSITION_SCHEMA, description: 'Wait (a few seconds at most) until the read models reach this position; else 503 with Retry-After' })
  @IsOptional()
  @IsLedgerPosition()
  minPosition?: string;
}

export class PageQuery extends ReadQuery {
  @ApiPropertyOptional({ type: 'integer', minimum: 1, maximum: MAX_PAGE_SIZE, default: DEFAULT_PAGE_SIZE, description: `Items per page, 1 to ${MAX_PAGE_SIZE}` })
  @IsOptional()
  @Transform(pageSizeOf)
  @IsPageSize()
  limit?: number;

  @ApiPropertyOptional({ description: 'The nextCursor of the previous page, as it was returned', maxLength: 200 })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  cursor?: string;
}

/** Identifiers and names in query strings: short, no control characters (C0, DEL or C1). */
export const QUERY_TEXT = /^[^\u0000-\u001f\u007f-\u009f]{1,200}$/;
export const QUERY_TEXT_MESSAGE = 'must be 1 to 200 printable characters';
