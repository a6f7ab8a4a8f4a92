import { writeFileSync } from 'node:fs';
import fc from 'fast-check';
import request from 'supertest';
import { callersFor } from '../e2e/support/ledger-client';
import { POSTGRES_MODE, type LedgerUnderTest } from '../e2e/support/ledger-modes';
import { violationsOf, type Exchange } from './support/answer-checks';
import { authorizationHeaders, FixturePools, FuzzSession, materialize } from './support/fuzz-session';
import { describeExchange, tallyOf, tallyText } from './support/exchange-report';
import { seedFuzzFixtures } from './support/fuzz-fixtures';
import { fuzzSettings } from './support/fuzz-settings';
import { routesOf, type OpenApiDocument, type Route } from './support/openapi-routes';
import { requestPlans, type RequestPlan } from './support/request-plans';

const settings = fuzzSettings();

/**
 * Requests generated from the OpenAPI document the ledger serves, for every
 * route in it: valid ones derived from the schemas (and the ledger's hints
 * where the document is silent), with boundary and hostile values mixed in.
 * Whatever is sent, the ledger answers in time, never with a 5xx (but a 503
 * STORE_UNAVAILABLE or PROJECTION_LAG with Retry-After, the latter only for a
 * position past the head), every 4xx is problem+json (a 400 naming fields),
 * a refused request leaves the head of the log where it was, a request made
 * malformed is refused, and every query answer that read something names
 * its Ledger-Position. See support/fuzz-settings.ts for replaying a failure.
 */
describe('the ledger under requests generated from its OpenAPI document', () => {
  let ledger: LedgerUnderTest;
  let routes: Route[];
  let session: FuzzSession;
  const pools = new FixturePools();

  beforeAll(async () => {
    // No rate limit: the fuzzer's bad tokens would be answered 429 after a few dozen.
    ledger = await POSTGRES_MODE.start({ databasePrefix: 'openapi_fuzz', server: { env: { LEDGER_RATE_LIMIT: 'off' } } });
    const server = ledger.server;
    const document = (await request(server.baseUrl).get('/docs-json')).body as OpenApiDocument;
    routes = routesOf(document);
    await seedFuzzFixtures(server, callersFor(server), ledger.store, pools);
    session = new FuzzSession(server.port, ledger.store, pools, authorizationHeaders(server.secrets.tokenKey), settings.timeoutMs);
  });

  afterAll(async () => {
    await ledger?.stop();
  });

  it('finds the routes of the document: commands, queries, the public route and health', () => {
    const kinds = new Set(routes.map((route) => route.kind));
    expect([...kinds].sort()).toEqual(expect.arrayContaining(['command', 'health', 'query']));
    expect(routes.some((route) => route.isPublic && route.kind === 'query')).toBe(true);
    // Every marker a plan can hold resolves against this ledger.
    const sample = fc.sample(fc.oneof(...routes.map((route) => requestPlans(route, routes))), { numRuns: 200, seed: settings.seed });
    for (const plan of sample) expect(materialize(plan, pools, authorizationHeaders('k'), 10n).target).not.toMatch(/⟦/);
  });

  it(
    `answers every generated request in time, never with a 5xx, refusals as problem+json that leave the log alone (${settings.runs} requests, seed ${settings.seed})`,
    async () => {
      const started = Date.now();
      const plans = fc.oneof(...routes.map((route) => requestPlans(route, routes)));
      const found: string[] = [];
      const property = fc.asyncProperty(plans, async (plan: RequestPlan) => {
        const exchange = await session.run(plan);
        const violations = violationsOf(exchange);
        if (violations.length === 0) return;
        if (settings.survey) found.push(describeExchange(exchange, violations));
        else throw new Error(describeExchange(exchange, violations));
      });
      const runsPerLane = Math.ceil(settings.runs / settings.lanes);
      const lanes = await Promise.allSettled(
        Array.from({ length: settings.lanes }, (_, lane) =>
          fc.assert(property, { seed: settings.seed + lane, numRuns: runsPerLane, ...(settings.path ? { path: settings.path } : {}) }),
        ),
      );
      if (process.env.FUZZ_LOG) writeFileSync(process.env.FUZZ_LOG, session.exchanges.map((exchange) => describeExchange(exchange, violationsOf(exchange))).join('\n\n'));
      const tally = tallyOf(session.exchanges);
      console.log(
        `OpenAPI fuzz: ${tally.requests} requests in ${((Date.now() - started) / 1000).toFixed(1)} s, ${settings.lanes} lanes from seed ${settings.seed}` +
          ` (replay a failure: FUZZ_SEED=<its seed> FUZZ_PATH=<its path> FUZZ_LANES=1 npm run fuzz)${settings.verbose ? `\n${tallyText(tally)}` : ''}`,
      );
      const failed = lanes.filter((lane): lane is PromiseRejectedResult => lane.status === 'rejected');
      if (found.length > 0) throw new Error(`${found.length} violations:\n\n${[...found, ...failed.map((lane) => String(lane.reason))].join('\n\n')}`);
      if (failed.length > 0) throw failed[0].reason;
      // Every route was asked, and valid requests do get through (a replay sends one request and its shrinks).
      if (settings.path) return;
      expect([...tally.byRoute.keys()].sort()).toEqual(routes.map((route) => route.operationId).sort());
      const successes = session.exchanges.filter((exchange) => exchange.answer && exchange.answer.status < 300).length;
      expect(successes).toBeGreaterThan(tally.requests / 10);
    },
    Math.max(120_000, settings.runs * 200),
  );
});
