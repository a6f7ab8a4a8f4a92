import { applyDecorators, HttpCode, UseInterceptors } from '@nestjs/common';
import { ApiBearerAuth, ApiHeader, ApiResponse } from '@nestjs/swagger';
import type { Role } from '@ledger/domain';
import { Roles } from '../../platform/auth/roles.decorator';
import { IdempotencyInterceptor } from '../../platform/idempotency/idempotency.interceptor';
import { BEARER_SCHEME } from '../../platform/openapi/openapi';
import { HEADERS_TOO_LARGE_ANSWER, problemAnswer, RATE_LIMITED_ANSWER, RETRY_AFTER_HEADER, RETRY_AFTER_SOMETIMES_HEADER, UNAUTHENTICATED_ANSWER } from '../../platform/openapi/openapi-answers';
import { NoQueryParametersInterceptor } from '../../platform/http/no-query-parameters.interceptor';

/** The error answers every command can give, as the exception filter writes them. */
const COMMAND_ERRORS = [
  ApiResponse(problemAnswer(400, 'VALIDATION_FAILED (with `errors` naming each field), MALFORMED_JSON, or a domain validation code naming its field')),
  ApiResponse(UNAUTHENTICATED_ANSWER),
  ApiResponse(problemAnswer(403, 'ROLE_NOT_ALLOWED, or the caller does not act for the organization the command concerns')),
  ApiResponse(problemAnswer(404, 'A referenced process, standard, provider, evaluator or certificate does not exist')),
  ApiResponse(
    problemAnswer(
      409,
      'CONCURRENT_MODIFICATION (send it again), DUPLICATE_COMMAND, IDEMPOTENCY_KEY_REUSED, IDEMPOTENCY_KEY_IN_PROGRESS (with Retry-After), or a conflict with the ledger',
      RETRY_AFTER_SOMETIMES_HEADER,
    ),
  ),
  ApiResponse(problemAnswer(413, 'PAYLOAD_TOO_LARGE: the body is over 1 MB')),
  ApiResponse(problemAnswer(415, 'UNSUPPORTED_MEDIA_TYPE: a body that is not JSON')),
  ApiResponse(problemAnswer(422, 'A business rule says no (its code names the rule)')),
  ApiResponse(RATE_LIMITED_ANSWER),
  ApiResponse(HEADERS_TOO_LARGE_ANSWER),
  ApiResponse(
    problemAnswer(503, 'STORE_UNAVAILABLE: nothing was decided; send the same command (same Idempotency-Key) again after Retry-After', RETRY_AFTER_HEADER),
  ),
];

/**
 * What every command route shares: its roles, its success status, no query
 * parameters, the Idempotency-Key handling (which also assigns the command
 * id), and the documented error answers.
 */
export function CommandEndpoint(status: 200 | 201, ...roles: [Role, ...Role[]]): MethodDecorator {
  return applyDecorators(
    HttpCode(status),
    Roles(...roles),
    UseInterceptors(NoQueryParametersInterceptor, IdempotencyInterceptor),
    ApiBearerAuth(BEARER_SCHEME),
    ApiHeader({
      name: 'Idempotency-Key',
      required: false,
      description: 'Same key and same body: the first response is returned again and nothing is written. Same key, other body: 409.',
    }),
    ApiHeader({ name: 'X-Correlation-Id', required: false, description: 'Echoed back; generated when absent.' }),
    ...COMMAND_ERRORS,
  );
}
