import type { RawAnswer } from './raw-http';
import type { RequestPlan } from './request-plans';

/** One request sent and what came of it. */
export interface Exchange {
  readonly plan: RequestPlan;
  readonly answer?: RawAnswer;
  /** Why there is no answer (timeout, connection closed without one). */
  readonly failure?: string;
  /** The head of the log just before the request was sent, and just after its answer. */
  readonly headBefore: bigint;
  readonly headAfter: bigint;
  /** Whether no other request that could write was in flight: then a refused request must leave the head where it was. */
  readonly isolated: boolean;
  /** The well-formed positions it asked the read models for (minPosition, atPosition). */
  readonly positionsAsked: readonly bigint[];
}

/** 400s about the request as a whole, which name no field. */
const WHOLE_REQUEST_CODES = new Set(['MALFORMED_JSON', 'MALFORMED_REQUEST', 'MALFORMED_PATH']);
const DECIMAL = /^(0|[1-9][0-9]*)$/;
const PROBLEM_JSON = /^application\/problem\+json\s*(;|$)/i;

interface Problem {
  status?: unknown;
  code?: unknown;
  title?: unknown;
  errors?: unknown;
}

function problemOf(answer: RawAnswer): Problem | undefined {
  try {
    const parsed: unknown = JSON.parse(answer.body.toString('utf8'));
    return typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed) ? (parsed as Problem) : undefined;
  } catch {
    return undefined;
  }
}

function firstSegment(field: string): string {
  return field.split(/[.[]/)[0];
}

/** A 400 names the fields it is about: each entry a field the request sent or the route documents, a code and a message. */
function fieldProblems(problem: Problem, plan: RequestPlan): string[] {
  if (typeof problem.code === 'string' && WHOLE_REQUEST_CODES.has(problem.code)) return [];
  if (!Array.isArray(problem.errors) || problem.errors.length === 0) return [`a 400 ${String(problem.code)} without an errors array naming fields`];
  const known = new Set(plan.fields.map(firstSegment));
  const violations: string[] = [];
  for (const entry of problem.errors as unknown[]) {
    const { field, code, message } = (entry ?? {}) as Record<string, unknown>;
    if (typeof field !== 'string' || typeof code !== 'string' || typeof message !== 'string') violations.push(`an errors entry without field, code and message: ${JSON.stringify(entry)}`);
    else if (!known.has(firstSegment(field))) violations.push(`an errors entry naming ${JSON.stringify(field)}, which the request neither sent nor the route documents`);
  }
  return violations;
}

function serverErrorViolations(exchange: Exchange, answer: RawAnswer, problem: Problem | undefined): string[] {
  const code = problem?.code;
  const retryAfter = answer.headers['retry-after'];
  if (answer.status !== 503 || (code !== 'STORE_UNAVAILABLE' && code !== 'PROJECTION_LAG')) return [`a ${answer.status} ${String(code ?? '')}`.trim()];
  const violations: string[] = [];
  if (retryAfter === undefined || !/^[1-9][0-9]*$/.test(retryAfter)) violations.push(`a 503 ${code} without a Retry-After in seconds (${String(retryAfter)})`);
  if (code === 'PROJECTION_LAG') {
    const ahead = exchange.positionsAsked.some((position) => position > exchange.headBefore);
    if (!ahead) violations.push(`a 503 PROJECTION_LAG though no position asked (${exchange.positionsAsked.join(', ') || 'none'}) was past the head (${exchange.headBefore})`);
    if (exchange.plan.malformed.length > 0) violations.push(`a malformed request answered 503 PROJECTION_LAG (it waited for the read models instead of refusing): ${exchange.plan.malformed.join('; ')}`);
  }
  return violations;
}

function clientErrorViolations(exchange: Exchange, answer: RawAnswer, problem: Problem | undefined): string[] {
  const violations: string[] = [];
  const contentType = answer.headers['content-type'] ?? '';
  if (!PROBLEM_JSON.test(contentType)) violations.push(`a ${answer.status} of type ${contentType || '(none)'}, not application/problem+json`);
  if (!problem) return [...violations, `a ${answer.status} whose body is not a JSON object`];
  if (problem.status !== answer.status) violations.push(`a ${answer.status} whose problem says status ${JSON.stringify(problem.status)}`);
  if (typeof problem.code !== 'string' || problem.code === '') violations.push(`a ${answer.status} without a code`);
  if (typeof problem.title !== 'string' || problem.title === '') violations.push(`a ${answer.status} without a title`);
  if (answer.status === 400) violations.push(...fieldProblems(problem, exchange.plan));
  if (answer.status === 429 && !/^[1-9][0-9]*$/.test(answer.headers['retry-after'] ?? '')) violations.push('a 429 without a Retry-After in seconds');
  if (exchange.isolated && exchange.headAfter !== exchange.headBefore) {
    violations.push(`a refused request (${answer.status} ${String(problem.code)}) moved the head of the log from ${exchange.headBefore} to ${exchange.headAfter}`);
  }
  return violations;
}

/**
 * Every query answer names the position it was read at: successes, a 404
 * (not found as of that position) and a 503 that waited for the read models
 * in vain. Refusals made before anything is read (400, 401, 403) may not,
 * as the document says. Wherever the header is, it is a decimal position the
 * log has reached.
 */
function ledgerPositionViolations(exchange: Exchange, answer: RawAnswer, problem: Problem | undefined): string[] {
  const { plan } = exchange;
  const header = answer.headers['ledger-position'];
  const queryAnswer = plan.kind === 'query' && plan.method === plan.routeMethod && !plan.emptyPathSegment;
  const readSomething = (answer.status >= 200 && answer.status < 300) || answer.status === 404 || problem?.code === 'PROJECTION_LAG';
  if (header === undefined) return queryAnswer && readSomething ? [`a query answer (${[answer.status, problem?.code].filter(Boolean).join(' ')}) without Ledger-Position`] : [];
  if (!DECIMAL.test(header)) return [`Ledger-Position ${JSON.stringify(header)} is not a decimal integer`];
  if (BigInt(header) > exchange.headAfter) return [`Ledger-Position ${header} is past the head of the log (${exchange.headAfter})`];
  return [];
}

/** What every answer of the ledger must be, whatever was asked; empty when it is. */
export function violationsOf(exchange: Exchange): string[] {
  const { answer, plan } = exchange;
  if (!answer) return [`no answer: ${exchange.failure ?? 'unknown'}`];
  const problem = answer.status >= 400 ? problemOf(answer) : undefined;
  const violations: string[] = [];
  if (answer.status >= 500) violations.push(...serverErrorViolations(exchange, answer, problem));
  else if (answer.status >= 400) violations.push(...clientErrorViolations(exchange, answer, problem));
  else if (answer.status >= 200 && answer.status < 300) {
    if (plan.malformed.length > 0) violations.push(`a malformed request answered ${answer.status}: ${plan.malformed.join('; ')}`);
    if (/^application\/json/i.test(answer.headers['content-type'] ?? '')) {
      try {
        JSON.parse(answer.body.toString('utf8'));
      } catch {
        violations.push(`a ${answer.status} application/json answer whose body is not JSON (${answer.body.length} bytes)`);
      }
    }
  }
  violations.push(...ledgerPositionViolations(exchange, answer, problem));
  return violations;
}
