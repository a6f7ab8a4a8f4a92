import { applyDecorators, type Type, UseInterceptors } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiResponse, type ContentObject, type HeadersObject } from '@nestjs/swagger';
import type { Role } from '@ledger/domain';
import { Public } from '../platform/auth/public.decorator';
import { Roles } from '../platform/auth/roles.decorator';
import { ApiWithoutToken, BEARER_SCHEME } from '../platform/openapi/openapi';
import {
  HEADERS_TOO_LARGE_ANSWER,
  LEDGER_POSITION_HEADER,
  LEDGER_POSITION_SOMETIMES_HEADER,
  problemAnswer,
  PUBLIC_RATE_LIMITED_ANSWER,
  RATE_LIMITED_ANSWER,
  RETRY_AFTER_HEADER,
  UNAUTHENTICATED_ANSWER,
} from '../platform/openapi/openapi-answers';
import { LedgerPositionInterceptor } from './ledger-position.interceptor';

const COMMON_ANSWERS = [
  ApiResponse(
    problemAnswer(
      400,
      'VALIDATION_FAILED naming each parameter (an unknown one included), INVALID_FIELD or INVALID_CURSOR naming it, or FOLIO_FORMAT / FOLIO_CHECK',
    ),
  ),
  ApiResponse(HEADERS_TOO_LARGE_ANSWER),
  ApiResponse(
    problemAnswer(
      503,
      'PROJECTION_LAG: the read models did not reach minPosition (or atPosition) in time; STORE_UNAVAILABLE: the read models cannot be reached. See Retry-After',
      { ...RETRY_AFTER_HEADER, ...LEDGER_POSITION_SOMETIMES_HEADER },
    ),
  ),
];

/** What every authenticated query route shares: its roles, minPosition, and the documented error answers. */
export function QueryEndpoint(...roles: [Role, ...Role[]]): MethodDecorator {
  return applyDecorators(
    Roles(...roles),
    UseInterceptors(LedgerPositionInterceptor),
    ApiBearerAuth(BEARER_SCHEME),
    ApiResponse(UNAUTHENTICATED_ANSWER),
    ApiResponse(problemAnswer(403, `ROLE_NOT_ALLOWED: only ${roles.join(', ')} may ask`)),
    ApiResponse(RATE_LIMITED_ANSWER),
    ...COMMON_ANSWERS,
  );
}

/** A query anyone may make, without a token. */
export function PublicQueryEndpoint(): MethodDecorator {
  return applyDecorators(
    Public(),
    UseInterceptors(LedgerPositionInterceptor),
    ApiWithoutToken(),
    ApiResponse(PUBLIC_RATE_LIMITED_ANSWER),
    ...COMMON_ANSWERS,
  );
}

export interface QueryAnswerOptions {
  /** The JSON body of the 200 answer. */
  type?: Type<unknown>;
  /** Or the whole content, when the route answers more than JSON. */
  content?: ContentObject;
  description: string;
  /** Headers besides Ledger-Position. */
  headers?: HeadersObject;
  /** Where the path names a thing: the 404 and its code. */
  notFound?: string;
}

/** The success answer of a query route (with its Ledger-Position header) and, where the path names a thing, its 404. */
export function QueryAnswer(options: QueryAnswerOptions): MethodDecorator {
  const headers = { ...LEDGER_POSITION_HEADER, ...options.headers };
  const body = options.content ? { content: options.content } : { type: options.type };
  return applyDecorators(
    ApiOkResponse({ description: options.description, headers, ...body }),
    ...(options.notFound ? [ApiResponse(problemAnswer(404, options.notFound, LEDGER_POSITION_SOMETIMES_HEADER))] : []),
  );
}
