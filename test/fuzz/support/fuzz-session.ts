import { createHmac } from 'node:crypto';
import { unescape } from 'node:querystring';
import type { EventStore } from '@ledger/event-store';
import { signToken } from '../../e2e/support/tokens';
import { CENTRE_ID, EVALUATOR_ID, OTHER_PROVIDER_ID, PROVIDER_ID } from '../../e2e/support/ledger-client';
import type { Exchange } from './answer-checks';
import type { FixturePool } from './ledger-values';
import { exchange as send, type RawRequest } from './raw-http';
import type { CallerName, RequestPlan } from './request-plans';

const MAX_POSITION = 2n ** 63n - 1n;
const POSITION_TEXT = /^(0|[1-9][0-9]{0,18})$/;
/** Query parameters that make a query wait for the read models. */
const WAITING_PARAMETERS = ['minPosition', 'atPosition'];

function base64url(value: string): string {
  return Buffer.from(value).toString('base64url');
}

function hs256(key: string, header: object, payload: object): string {
  const head = `${base64url(JSON.stringify(header))}.${base64url(JSON.stringify(payload))}`;
  return `${head}.${createHmac('sha256', key).update(head).digest('base64url')}`;
}

/** The Authorization header of every caller the plans name, signed with the ledger's key. */
export function authorizationHeaders(tokenKey: string): Record<CallerName, string> {
  const now = Math.floor(Date.now() / 1000);
  const sign = (claims: Record<string, unknown>, ttl = 3_600, extra: Record<string, unknown> = {}) =>
    signToken(tokenKey, claims as { sub: string; role: string; org: string }, ttl, extra);
  const comptroller = sign({ sub: 'auditor-1', role: 'comptroller', org: 'SECOGEF' });
  return {
    authority: `Bearer ${sign({ sub: 'conocer-admin', role: 'authority', org: 'CONOCER' })}`,
    certifier: `Bearer ${sign({ sub: 'certifier-1', role: 'certifier', org: PROVIDER_ID })}`,
    otherCertifier: `Bearer ${sign({ sub: 'certifier-9', role: 'certifier', org: OTHER_PROVIDER_ID })}`,
    registrar: `Bearer ${sign({ sub: 'registrar-1', role: 'registrar', org: CENTRE_ID })}`,
    providerRegistrar: `Bearer ${sign({ sub: 'registrar-ece', role: 'registrar', org: PROVIDER_ID })}`,
    evaluator: `Bearer ${sign({ sub: EVALUATOR_ID, role: 'evaluator', org: PROVIDER_ID })}`,
    comptroller: `Bearer ${comptroller}`,
    stateComptroller: `Bearer ${sign({ sub: 'auditor-bc', role: 'comptroller', org: 'SECOGEF' }, 3_600, { jurisdiction: 'BC' })}`,
    hugeComptroller: `Bearer ${sign({ sub: 'auditor-2', role: 'comptroller', org: 'SECOGEF' }, 3_600, { note: 'x'.repeat(8_000) })}`,
    expired: `Bearer ${sign({ sub: 'auditor-1', role: 'comptroller', org: 'SECOGEF' }, -60)}`,
    wrongKey: `Bearer ${signToken('not-the-ledger-key', { sub: 'auditor-1', role: 'comptroller', org: 'SECOGEF' })}`,
    algNone: `Bearer ${base64url('{"alg":"none","typ":"JWT"}')}.${base64url(JSON.stringify({ sub: 'auditor-1', role: 'comptroller', org: 'SECOGEF', exp: now + 3_600 }))}.AAAA`,
    unknownRole: `Bearer ${sign({ sub: 'root', role: 'superuser', org: 'SECOGEF' })}`,
    privacyRole: `Bearer ${sign({ sub: 'privacy-1', role: 'privacy', org: 'INAI' })}`,
    systemRole: `Bearer ${sign({ sub: 'system', role: 'system', org: 'LEDGER' })}`,
    noOrg: `Bearer ${hs256(tokenKey, { alg: 'HS256', typ: 'JWT' }, { sub: 'auditor-1', role: 'comptroller', exp: now + 3_600 })}`,
    orgWithSpace: `Bearer ${sign({ sub: 'auditor-1', role: 'comptroller', org: 'SECO GEF' })}`,
    noExp: `Bearer ${hs256(tokenKey, { alg: 'HS256', typ: 'JWT' }, { sub: 'auditor-1', role: 'comptroller', org: 'SECOGEF' })}`,
    notJwt: 'Bearer not-a-jwt',
    emptyBearer: 'Bearer ',
    basic: `Basic ${base64url('auditor-1:secret')}`,
    lowerCaseScheme: `bearer ${comptroller}`,
    twoTokens: `Bearer ${comptroller} ${comptroller}`,
    truncatedSignature: `Bearer ${comptroller.slice(0, -2)}`,
  };
}

/** Ids the ledger generated, learnt from the reference data and from every answer since. */
export class FixturePools {
  private readonly pools: Record<FixturePool, string[]> = { processId: [], folio: [], subjectId: [], evaluatorId: [EVALUATOR_ID] };

  add(pool: FixturePool, value: unknown): void {
    if (typeof value === 'string' && value !== '' && !this.pools[pool].includes(value)) this.pools[pool].push(value);
  }

  pick(pool: FixturePool, index: number): string {
    const values = this.pools[pool];
    if (values.length === 0) throw new Error(`no ${pool} to pick from: seed the reference data first`);
    return values[index % values.length];
  }

  /** Takes the ids a successful answer names: an enrollment's processId and subjectId, a certificate's folio, a batch's certificates. */
  learnFrom(body: unknown): void {
    if (typeof body !== 'object' || body === null) return;
    const record = body as Record<string, unknown>;
    this.add('processId', record.processId);
    this.add('subjectId', record.subjectId);
    this.add('folio', record.folio);
    // A batch answers for every process it was given, existing or not: only those it certified exist.
    if (Array.isArray(record.results)) for (const result of record.results) if (typeof result?.folio === 'string') this.learnFrom(result);
  }

  sizes(): Record<FixturePool, number> {
    return Object.fromEntries(Object.entries(this.pools).map(([pool, values]) => [pool, values.length])) as Record<FixturePool, number>;
  }
}

const MARKER = /⟦(?:(processId|folio|subjectId|evaluatorId)#(\d+)|token:(\w+)|head([+-]\d+))⟧/g;

/** The plan with its markers replaced by this ledger's ids, tokens and head. */
export function materialize(plan: RequestPlan, pools: FixturePools, tokens: Record<string, string>, headNow: bigint): RawRequest {
  const fill = (text: string) =>
    text.replace(MARKER, (whole, pool: string | undefined, index: string | undefined, caller: string | undefined, offset: string | undefined) => {
      if (pool) return pools.pick(pool as FixturePool, Number(index));
      if (caller) return tokens[caller] ?? whole;
      const position = headNow + BigInt(offset ?? 0);
      return (position < 0n ? 0n : position).toString();
    });
  const body = plan.body === undefined ? undefined : Buffer.from(fill(plan.body), plan.bodyEncoding ?? 'utf8');
  return { method: plan.method, target: fill(plan.target), headers: plan.headers.map(([name, value]) => [name, fill(value)] as const), ...(body ? { body } : {}) };
}

/** The well-formed positions a request asks the read models to wait for: minPosition or atPosition, when given once. */
export function positionsAskedBy(target: string): bigint[] {
  const query = target.includes('?') ? target.slice(target.indexOf('?') + 1) : '';
  const values = new Map<string, string[]>();
  for (const pair of query.split('&')) {
    const [name, ...rest] = pair.split('=');
    const decoded = unescape(name.replace(/\+/g, ' '));
    values.set(decoded, [...(values.get(decoded) ?? []), unescape(rest.join('=').replace(/\+/g, ' '))]);
  }
  return WAITING_PARAMETERS.flatMap((name) => {
    const given = values.get(name);
    if (given?.length !== 1 || !POSITION_TEXT.test(given[0])) return [];
    const position = BigInt(given[0]);
    return position <= MAX_POSITION ? [position] : [];
  });
}

/**
 * Sends plans to one running ledger. Requests that may write go one at a
 * time, with the head of the log read before and after each, so that a
 * refused request that moved it is caught. A query that asks for a position
 * past the head waits for the read models (seconds), writes nothing, and so
 * runs beside the others.
 */
export class FuzzSession {
  private queue: Promise<unknown> = Promise.resolve();
  readonly exchanges: Exchange[] = [];

  constructor(
    private readonly port: number,
    private readonly store: EventStore,
    private readonly pools: FixturePools,
    private readonly tokens: Record<string, string>,
    private readonly timeoutMs: number,
  ) {}

  async run(plan: RequestPlan): Promise<Exchange> {
    const headNow = await this.store.headPosition();
    const waits = positionsAskedBy(materialize(plan, this.pools, this.tokens, headNow).target).some((position) => position > headNow);
    const exchange = waits ? await this.exchange(plan, false) : await this.exclusive(() => this.exchange(plan, true));
    this.exchanges.push(exchange);
    return exchange;
  }

  private exclusive<T>(work: () => Promise<T>): Promise<T> {
    const turn = this.queue.then(work, work);
    this.queue = turn.catch(() => undefined);
    return turn;
  }

  private async exchange(plan: RequestPlan, isolated: boolean): Promise<Exchange> {
    const headBefore = await this.store.headPosition();
    const request = materialize(plan, this.pools, this.tokens, headBefore);
    const positionsAsked = positionsAskedBy(request.target);
    let outcome: Pick<Exchange, 'answer' | 'failure'>;
    try {
      outcome = { answer: await send(this.port, request, this.timeoutMs) };
    } catch (error) {
      outcome = { failure: error instanceof Error ? error.message : String(error) };
    }
    const headAfter = await this.store.headPosition();
    const answer = outcome.answer;
    if (answer && answer.status >= 200 && answer.status < 300 && /json/.test(answer.headers['content-type'] ?? '')) {
      try {
        this.pools.learnFrom(JSON.parse(answer.body.toString('utf8')));
      } catch {
        // Not JSON: the checks report it.
      }
    }
    return { plan, ...outcome, headBefore, headAfter, isolated, positionsAsked };
  }
}
