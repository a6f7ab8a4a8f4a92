import { createServer, type Server } from 'node:http';
import request from 'supertest';
import { freePort } from '@ledger/platform';
import { callersFor, post, seedReferenceData, enrollmentBody, type Callers } from './support/ledger-client';
import { POSTGRES_MODE, type LedgerUnderTest } from './support/ledger-modes';
import { eventually } from '../support/eventually';

interface OtlpValue {
  stringValue?: string;
  intValue?: string | number;
}
interface OtlpSpan {
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  name: string;
  kind: number;
  attributes: { key: string; value: OtlpValue }[];
}
interface ExportedSpan extends OtlpSpan {
  service: string;
  scope: string;
  attribute(key: string): string | number | undefined;
}

/** An OTLP/HTTP collector that keeps what it is sent (JSON, as the ledger's exporter sends it). */
async function fakeCollector(): Promise<{ url: string; spans: ExportedSpan[]; bodies: string[]; close: () => Promise<void> }> {
  const spans: ExportedSpan[] = [];
  const bodies: string[] = [];
  const server: Server = createServer((incoming, answer) => {
    let body = '';
    incoming.on('data', (chunk) => (body += chunk));
    incoming.on('end', () => {
      if (incoming.url === '/v1/traces' && incoming.headers['content-type']?.startsWith('application/json')) {
        bodies.push(body);
        const exported = JSON.parse(body) as { resourceSpans: { resource: { attributes: OtlpSpan['attributes'] }; scopeSpans: { scope: { name: string }; spans: OtlpSpan[] }[] }[] };
        for (const resource of exported.resourceSpans) {
          const service = resource.resource.attributes.find((a) => a.key === 'service.name')?.value.stringValue ?? '';
          for (const scope of resource.scopeSpans) {
            for (const span of scope.spans) {
              spans.push({ ...span, service, scope: scope.scope.name, attribute: (key) => { const value = span.attributes.find((a) => a.key === key)?.value; return value?.stringValue ?? (value?.intValue === undefined ? undefined : Number(value.intValue)); } });
            }
          }
        }
      }
      answer.writeHead(200, { 'Content-Type': 'application/json' }).end('{}');
    });
  });
  const port = await freePort();
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${port}`, spans, bodies, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

/**
 * Traces with OpenTelemetry when an OTLP endpoint is configured: a command
 * reaches the collector as a server span named by its route template, with
 * Express's handling and the PostgreSQL queries it ran as spans of the same
 * trace; the values a query binds (a CURP, a name) are never exported; the
 * health checks are not traced.
 */
describe('traces over OTLP (OTEL_EXPORTER_OTLP_ENDPOINT)', () => {
  let collector: Awaited<ReturnType<typeof fakeCollector>>;
  let ledger: LedgerUnderTest;
  let callers: Callers;

  beforeAll(async () => {
    collector = await fakeCollector();
    ledger = await POSTGRES_MODE.start({
      databasePrefix: 'tracing',
      server: { env: { OTEL_EXPORTER_OTLP_ENDPOINT: collector.url, OTEL_SERVICE_NAME: 'ledger-under-test', OTEL_BSP_SCHEDULE_DELAY: '100' } },
    });
    callers = callersFor(ledger.server);
  });

  let collectorClosed = false;
  afterAll(async () => {
    await ledger?.stop();
    if (!collectorClosed) await collector?.close();
  });

  it('exports a command as a server span by route template, with its queries in the same trace, and no bound value', async () => {
    await seedReferenceData(ledger.server, callers);
    const body = enrollmentBody();
    expect((await post(ledger.server, '/v1/enrollments', callers.registrar, body)).status).toBe(201);
    expect((await request(ledger.server.baseUrl).get('/health')).status).toBe(200);

    const server = await eventually(async () => collector.spans.find((span) => span.kind === 2 && span.attribute('http.route') === '/v1/enrollments'), 30_000);
    expect(server.service).toBe('ledger-under-test');
    expect(server.name).toBe('POST /v1/enrollments');
    expect(server.attribute('http.response.status_code') ?? server.attribute('http.status_code')).toBe(201);
    const queries = await eventually(async () => {
      const inTrace = collector.spans.filter((span) => span.traceId === server.traceId && span.name.startsWith('pg.query'));
      return inTrace.length > 0 ? inTrace : undefined;
    }, 30_000);
    // The SQL with its placeholders, as the ledger wrote it.
    expect(queries.map((span) => span.attribute('db.statement') ?? span.attribute('db.query.text'))).toContainEqual(expect.stringMatching(/\$1/));
    const everything = collector.bodies.join('\n');
    expect(everything).not.toContain(body.curp as string);
    expect(everything).not.toContain(body.fullName as string);
    expect(collector.spans.some((span) => span.kind === 2 && String(span.attribute('url.path') ?? span.attribute('http.target')).startsWith('/health'))).toBe(false);
  });

  it('keeps answering when the collector goes away: spans that cannot be sent are dropped, requests are not', async () => {
    await collector.close();
    collectorClosed = true;
    const answers = await Promise.all(Array.from({ length: 20 }, () => post(ledger.server, '/v1/enrollments', callers.registrar, enrollmentBody())));
    expect(answers.map((answer) => answer.status)).toEqual(Array(20).fill(201));
    // Past a batch's export (100 ms here), to a collector that refuses the connection.
    await eventually(async () => ((await request(ledger.server.baseUrl).get('/health/ready')).status === 200 ? true : undefined), 30_000);
    expect((await request(ledger.server.baseUrl).get('/health')).body).toEqual({ status: 'ok' });
    expect(ledger.server.output()).not.toMatch(/Unhandled rejection|ECONNREFUSED.*\n\s+at /);
  });
});
