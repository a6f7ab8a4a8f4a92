import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, Matches, Max, MaxLength, Min } from 'class-validator';
import { MAX_PAGE_SIZE } from '@ledger/read-models';

/** Every query takes `minPosition` (read-your-writes); the interceptor waits for it, this only admits it. */
export class ReadQuery {
  @ApiPropertyOptional({ description: 'Wait (a few seconds at most) until the read models reach this position; else 503 with Retry-After', example: '1042' })
  @IsOptional()
  @Matches(/^\d{1,20}$/, { message: 'must be a decimal integer' })
  minPosition?: string;
}

export class PageQuery extends ReadQuery {
  @ApiPropertyOptional({ minimum: 1, maximum: MAX_PAGE_SIZE, default: 50 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(MAX_PAGE_SIZE)
  limit?: number;

  @ApiPropertyOptional({ description: 'The nextCursor of the previous page' })
  @IsOptional()
  @MaxLength(200)
  cursor?: string;
}

/** Identifiers in query strings: short, no spaces or control characters. */
export const QUERY_TEXT = /^[^\u0000-\u001f]{1,200}$/;
export const QUERY_TEXT_MESSAGE = 'must be 1 to 200 printable characters';
