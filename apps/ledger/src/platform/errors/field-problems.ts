import type { ValidationError } from 'class-validator';
import type { FieldProblem } from './problem';

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
