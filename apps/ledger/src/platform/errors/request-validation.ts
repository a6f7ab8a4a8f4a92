import { ValidationPipe } from '@nestjs/common';
import type { ValidationError } from 'class-validator';
import type { FieldProblem } from './problem';
import { ProblemException } from './problem.exception';

/** class-validator's constraint names that deserve a plainer code. */
const CODE_OF_CONSTRAINT: Readonly<Record<string, string>> = {
  whitelistValidation: 'UNKNOWN_FIELD',
  isDefined: 'REQUIRED',
  isNotEmpty: 'REQUIRED',
  unknownValue: 'INVALID_BODY',
};

function codeOf(constraint: string): string {
  return CODE_OF_CONSTRAINT[constraint] ?? constraint.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toUpperCase();
}

/** Flattens class-validator's tree into one entry per failed rule, each naming its field by dotted path. */
export function fieldProblemsOf(errors: readonly ValidationError[], parent = ''): FieldProblem[] {
  return errors.flatMap((error) => {
    const field = error.property === undefined || error.property === '' ? parent : parent ? `${parent}.${error.property}` : error.property;
    const own = Object.entries(error.constraints ?? {}).map(([constraint, message]) => ({ field, code: codeOf(constraint), message }));
    return [...own, ...fieldProblemsOf(error.children ?? [], field)];
  });
}

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
