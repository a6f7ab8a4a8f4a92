import { HttpException } from '@nestjs/common';
import type { FieldProblem } from './problem';

/**
 * An HTTP error raised by the ledger's own edge (authentication, idempotency,
 * request validation) with its stable code. Domain rules never throw this:
 * they throw DomainError, which the filter maps by kind.
 */
export class ProblemException extends HttpException {
  constructor(
    status: number,
    readonly code: string,
    detail: string,
    readonly errors?: FieldProblem[],
    readonly headers?: Readonly<Record<string, string>>,
  ) {
    super(detail, status);
    this.name = 'ProblemException';
  }
}
