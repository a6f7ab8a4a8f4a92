import { ValidationPipe } from '@nestjs/common';
import { fieldProblemsOf } from './field-problems';
import type { FieldProblem } from './problem';
import { ProblemException } from './problem.exception';

export function validationFailed(problems: FieldProblem[]): ProblemException {
  const fields = [...new Set(problems.map((p) => p.field || '(body)'))];
  return new ProblemException(400, 'VALIDATION_FAILED', `The request is not valid: ${fields.join(', ')}`, problems);
}

/**
 * Bodies are whitelisted: an unknown field is an error (not silently
 * dropped), so a client's typo never passes for an accepted request.
 */
export function createRequestValidationPipe(): ValidationPipe {
  return new ValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    forbidUnknownValues: true,
    transform: true,
    validationError: { target: false, value: false },
    exceptionFactory: (errors) => validationFailed(fieldProblemsOf(errors)),
  });
}
