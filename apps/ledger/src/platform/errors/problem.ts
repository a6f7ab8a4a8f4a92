/**
 * RFC 9457 problem details, as every error of the ledger's HTTP API is
 * answered (`application/problem+json`). `code` is stable: clients switch on
 * it, so codes are only ever added, never renamed.
 */
export interface FieldProblem {
  /** Dotted path of the offending field in the request body (`jurisdiction.state`, `processIds.3`). */
  field: string;
  code: string;
  message: string;
}

export interface Problem {
  type: string;
  title: string;
  status: number;
  detail: string;
  code: string;
  instance: string;
  correlationId: string;
  errors?: FieldProblem[];
}

export const PROBLEM_CONTENT_TYPE = 'application/problem+json';

/** A problem type URI per code, so documentation can hang off it later. */
export function problemTypeOf(code: string): string {
  return `urn:problem-type:certification-ledger:${code.toLowerCase().replace(/_/g, '-')}`;
}
