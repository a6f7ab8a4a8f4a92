import { applyDecorators, HttpCode, UseInterceptors } from '@nestjs/common';
import { ApiBearerAuth, ApiHeader, ApiResponse, getSchemaPath } from '@nestjs/swagger';
import type { Role } from '@ledger/domain';
import { Roles } from '../../platform/auth/roles.decorator';
import { IdempotencyInterceptor } from '../../platform/idempotency/idempotency.interceptor';
import { BEARER_SCHEME } from '../../platform/openapi/openapi';
import { ProblemResponse } from '../../platform/openapi/problem-response';

const PROBLEM = { 'application/problem+json': { schema: { $ref: getSchemaPath(ProblemResponse) } } };

/**
 * What every command route shares: its roles, its success status, the
 * Idempotency-Key handling (which also assigns the command id), and the
 * documented error answers.
 */
export function CommandEndpoint(status: 200 | 201, ...roles: [Role, ...Role[]]): MethodDecorator {
  return applyDecorators(
    HttpCode(status),
    Roles(...roles),
    UseInterceptors(IdempotencyInterceptor),
    ApiBearerAuth(BEARER_SCHEME),
    ApiHeader({
      name: 'Idempotency-Key',
      required: false,
      description: 'Same key and same body: the first response is returned again and nothing is written. Same key, other body: 409.',
    }),
    ApiHeader({ name: 'X-Correlation-Id', required: false, description: 'Echoed back; generated when absent.' }),
    ApiResponse({ status: 400, description: 'VALIDATION_FAILED (with `errors` naming each field), MALFORMED_JSON, or a domain validation code', content: PROBLEM }),
    ApiResponse({ status: 401, description: 'No, bad or expired token', content: PROBLEM }),
    ApiResponse({ status: 403, description: 'Role or organization not allowed', content: PROBLEM }),
    ApiResponse({ status: 404, description: 'A referenced process, standard or evaluator does not exist', content: PROBLEM }),
    ApiResponse({ status: 409, description: 'Conflict with the ledger, or IDEMPOTENCY_KEY_REUSED', content: PROBLEM }),
    ApiResponse({ status: 422, description: 'A business rule says no', content: PROBLEM }),
  );
}
