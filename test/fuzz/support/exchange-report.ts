import type { Exchange } from './answer-checks';
import type { RequestPlan } from './request-plans';

function clip(text: string, length: number): string {
  return text.length > length ? `${text.slice(0, length)}… (${text.length} characters)` : text;
}

/** A plan in a few lines, generated megabytes clipped: how fast-check prints a counterexample, and how a violation shows it. */
export function describePlan(plan: RequestPlan): string {
  return [
    `${plan.method} ${clip(plan.target, 300)} (${plan.operationId})`,
    ...plan.headers.map(([name, value]) => `  ${name}: ${clip(value, 80)}`),
    ...(plan.body !== undefined ? [`  body: ${clip(JSON.stringify(plan.body), 300)}`] : []),
    `  malformed: ${plan.malformed.join('; ') || 'no'}`,
  ].join('\n');
}

/** The request, what the ledger answered (its body clipped, never the server's log) and what is wrong with it. */
export function describeExchange(exchange: Exchange, violations: readonly string[]): string {
  const { answer } = exchange;
  const position = answer?.headers['ledger-position'];
  const answered = answer
    ? `${answer.status} ${answer.headers['content-type'] ?? ''}${position === undefined ? '' : ` Ledger-Position: ${position}`} ${clip(answer.body.toString('utf8'), 400)}`
    : exchange.failure;
  return [describePlan(exchange.plan), `→ ${answered}`, ...violations.map((violation) => `  ✗ ${violation}`)].join('\n');
}

export interface Tally {
  readonly requests: number;
  /** Per route, the statuses of all its requests, and of those the fuzzer did not make malformed. */
  readonly byRoute: ReadonlyMap<string, { all: Map<string, number>; wellFormed: Map<string, number> }>;
}

export function tallyOf(exchanges: readonly Exchange[]): Tally {
  const byRoute = new Map<string, { all: Map<string, number>; wellFormed: Map<string, number> }>();
  const count = (counts: Map<string, number>, status: string) => counts.set(status, (counts.get(status) ?? 0) + 1);
  for (const { plan, answer } of exchanges) {
    const route = byRoute.get(plan.operationId) ?? { all: new Map<string, number>(), wellFormed: new Map<string, number>() };
    const status = String(answer?.status ?? 'none');
    count(route.all, status);
    if (plan.malformed.length === 0) count(route.wellFormed, status);
    byRoute.set(plan.operationId, route);
  }
  return { requests: exchanges.length, byRoute };
}

export function tallyText(tally: Tally): string {
  const text = (counts: Map<string, number>) => [...counts.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([status, n]) => `${status}×${n}`).join(' ');
  return [...tally.byRoute.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([route, { all, wellFormed }]) => `  ${route}: ${text(all)} (well-formed: ${text(wellFormed) || 'none'})`)
    .join('\n');
}
