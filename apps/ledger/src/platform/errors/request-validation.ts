import { type ArgumentMetadata, ValidationPipe } from '@nestjs/common';
import { fieldProblemsOf } from './field-problems';
import type { FieldProblem } from './problem';
import { ProblemException } from './problem.exception';

export function validationFailed(problems: FieldProblem[]): ProblemException {
  const fields = [...new Set(problems.map((p) => p.field || '(body)'))];
  return new ProblemException(400, 'VALIDATION_FAILED', `The request is not valid: ${fields.join(', ')}`, problems);
}

/**
 * Names every object inherits (toString, constructor, __proto__, ...).
 * class-validator's whitelist looks field names up in a plain object, where
 * these are always found, and class-transformer skips them, so a field with
 * such a name would be dropped in silence instead of refused as unknown.
 * Nest's ValidationPipe deletes `prototype` too (with __proto__ and
 * constructor) before it validates: a query parameter of that name vanished.
 */
const INHERITED_NAMES: ReadonlySet<string> = new Set([...Object.getOwnPropertyNames(Object.prototype), 'prototype']);

interface FieldPath {
  readonly key: string;
  readonly parent: FieldPath | null;
}

function dotted(path: FieldPath): string {
  return path.parent ? `${dotted(path.parent)}.${path.key}` : path.key;
}

/** Breadth first, without recursion: a body may nest thousands of levels deep before validation refuses it. */
function inheritedNameProblems(root: unknown): FieldProblem[] {
  const problems: FieldProblem[] = [];
  const pending: [unknown, FieldPath | null][] = [[root, null]];
  for (let next = 0; next < pending.length; next += 1) {
    const [value, parent] = pending[next];
    if (typeof value !== 'object' || value === null) continue;
    for (const key of Object.keys(value)) {
      const path = { key, parent };
      if (INHERITED_NAMES.has(key)) problems.push({ field: dotted(path), code: 'UNKNOWN_FIELD', message: `property ${key} should not exist` });
      else pending.push([(value as Record<string, unknown>)[key], path]);
    }
  }
  return problems;
}

class RequestValidationPipe extends ValidationPipe {
  override async transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    const problems = metadata.type === 'body' || metadata.type === 'query' ? inheritedNameProblems(value) : [];
    if (problems.length > 0) throw validationFailed(problems);
    return super.transform(value, metadata);
  }
}

/**
 * Bodies and query strings are whitelisted: an unknown field is an error (not
 * silently dropped), so a client's typo never passes for an accepted request.
 */
export function createRequestValidationPipe(): ValidationPipe {
  return new RequestValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    forbidUnknownValues: true,
    transform: true,
    validationError: { target: false, value: false },
    exceptionFactory: (errors) => validationFailed(fieldProblemsOf(errors)),
  });
}
