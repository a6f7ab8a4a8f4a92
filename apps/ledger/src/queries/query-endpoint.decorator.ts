import { applyDecorators, UseInterceptors } from '@nestjs/common';
import { ApiBearerAuth, ApiResponse, getSchemaPath } from '@nestjs/swagger';
import type { Role } from '@ledger/domain';
import { Public } from '../platform/auth/public.decorator';
import { Roles } from '../platform/auth/roles.decorator';
import { BEARER_SCHEME } from '../platform/openapi/openapi';
import { ProblemResponse } from '../platform/openapi/problem-response';
import { ReadYourWritesInterceptor } from './read-your-writes.interceptor';

const PROBLEM = { 'application/problem+json': { schema: { $ref: getSchemaPath(ProblemResponse) } } };

const COMMON_ANSWERS = [
  ApiResponse({ status: 400, description: 'VALIDATION_FAILED naming each parameter, INVALID_CURSOR, or FOLIO_FORMAT / FOLIO_CHECK', content: PROBLEM }),
  ApiResponse({ status: 503, description: 'PROJECTION_LAG: the read models did not reach minPosition in time; see Retry-After', content: PROBLEM }),
];

/** What every authenticated query route shares: its roles, minPosition, and the documented error answers. */
export function QueryEndpoint(...roles: [Role, ...Role[]]): MethodDecorator {
  return applyDecorators(
    Roles(...roles),
    UseInterceptors(ReadYourWritesInterceptor),
    ApiBearerAuth(BEARER_SCHEME),
    ApiResponse({ status: 401, description: 'No, bad or expired token', content: PROBLEM }),
    ApiResponse({ status: 403, description: 'Role not allowed', content: PROBLEM }),
    ...COMMON_ANSWERS,
  );
}

/** A query anyone may make, without a token. */
export function PublicQueryEndpoint(): MethodDecorator {
  return applyDecorators(Public(), UseInterceptors(ReadYourWritesInterceptor), ...COMMON_ANSWERS);
}
