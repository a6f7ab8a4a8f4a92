import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { PostgresEventStore, type NewEvent } from '@ledger/event-store';
import { callersFor, competentProcess, enrollmentBody, nextPerson, post, seedReferenceData, type Callers } from './support/ledger-client';
import { startLedgerServer, temporaryDataDir, type LedgerServer } from './support/ledger-server';
import { createTestDatabase } from '../support/test-database';
import { eventually } from '../support/eventually';

/** One sample of a scrape: a series' name, its labels and its value. */
interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

/** Prometheus's text format, sample lines only (no comments). */
function parseMetrics(text: string): Sample[] {
  return text
    .split('\n')
    .filter((line) => line !== '' && !line.startsWith('#'))
    .map((line) => {
      const match = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
      if (!match) throw new Error(`not a sample line: ${line}`);
      const labels = Object.fromEntries([...(match[2] ?? '').matchAll(/([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g)].map((pair) => [pair[1], pair[2]]));
      return { name: match[1], labels, value: Number(match[3]) };
    });
}

/** The value of the one series of `name` whose labels include `labels` (0 when there is none yet). */
function valueOf(samples: readonly Sample[], name: string, labels: Record<string, string> = {}): number {
  const found = samples.filter((sample) => sample.name === name && Object.entries(labels).every(([key, value]) => sample.labels[key] === value));
  if (found.length > 1) throw new Error(`${name} ${JSON.stringify(labels)} names ${found.length} series`);
  return found[0]?.value ?? 0;
}

async function scrape(server: LedgerServer, authorization?: string): Promise<Sample[]> {
  let call = request(server.baseUrl).get('/metrics');
  if (authorization) call = call.set('Authorization', authorization);
  const response = await call;
  expect(response.status).toBe(200);
  expect(response.headers['content-type']).toBe('text/plain; version=0.0.4; charset=utf-8');
  return parseMetrics(response.text);
}

/** An event no projection can fold (a certificate issued with no process): the certification projection parks it. */
function unfoldable(): NewEvent {
  return {
    id: randomUUID(),
    type: 'CertificateIssued',
    data: { folio: 'NOT-A-PROCESS' },
    metadata: { actor: { id: 'metrics-e2e', role: 'certifier', organizationId: 'ECE322-18' }, commandId: randomUUID(), correlationId: randomUUID(), causationId: randomUUID(), occurredAt: '2019-03-01T10:00:00.000Z', recordedAt: '2019-03-01T10:00:01.000Z', schemaVersion: 1 },
  };
}

/**
 * GET /metrics under load, on PostgreSQL: the request histogram by route
 * template, command outcomes by code, the event store's appends, and the
 * read side's gauges (lag in events and seconds, parked events, the age of
 * the latest signed checkpoint) move as the ledger works; no label holds a
 * URL's ids or a CURP. Then the same database under a ledger with no
 * projector, after events it has not folded: the lag is exactly those events,
 * and LEDGER_METRICS_TOKEN closes /metrics to a scraper without it.
 */
describe('GET /metrics', () => {
  let database: { url: string; drop: () => Promise<void> };
  let store: PostgresEventStore;
  const data = temporaryDataDir();
  let server: LedgerServer | undefined;
  let callers: Callers;

  beforeAll(async () => {
    database = await createTestDatabase('metrics');
    store = new PostgresEventStore(database.url);
    server = await startLedgerServer({ databaseUrl: database.url, dataDir: data.dir, env: { LEDGER_CHECKPOINT_INTERVAL: '1' } });
    callers = callersFor(server);
  });

  afterAll(async () => {
    await server?.kill();
    await store?.close();
    await database?.drop();
    data.remove();
  });

  it('counts requests by route, commands by outcome and appends by size as the ledger takes work, and the read side catches up', async () => {
    const ledger = server!;
    await seedReferenceData(ledger, callers);
    const before = await scrape(ledger);
    const enrollments = await Promise.all(Array.from({ length: 12 }, () => post(ledger, '/v1/enrollments', callers.registrar, enrollmentBody())));
    expect(enrollments.map((answer) => answer.status)).toEqual(Array(12).fill(201));
    const person = nextPerson();
    const mistyped = { ...person, curp: `${person.curp.slice(0, 17)}${person.curp.endsWith('0') ? '1' : '0'}` };
    expect((await post(ledger, '/v1/enrollments', callers.registrar, enrollmentBody(mistyped))).body.code).toBe('CURP_CHECK_DIGIT');
    expect((await post(ledger, '/v1/enrollments', undefined, enrollmentBody())).status).toBe(401);
    const processes = await Promise.all(Array.from({ length: 3 }, () => competentProcess(ledger, callers)));
    const issued = await Promise.all(processes.map((processId) => post(ledger, `/v1/enrollments/${processId}/certificate`, callers.certifier, {})));
    expect(issued.map((answer) => answer.status)).toEqual([201, 201, 201]);
    const folio = issued[0].body.folio as string;
    // The public registry answers 404 until its read model has the certificate; then five lookups.
    await eventually(async () => ((await request(ledger.baseUrl).get(`/v1/public/certificates/${folio}`)).status === 200 ? true : undefined), 30_000);
    for (let n = 0; n < 5; n += 1) expect((await request(ledger.baseUrl).get(`/v1/public/certificates/${folio}`)).status).toBe(200);
    await store.appendToStream(`certification-metrics-${randomUUID()}`, [unfoldable()], { expectedRevision: 'no_stream' });

    // Once the read side has folded everything, the parked event among it, and a checkpoint covers it.
    const after = await eventually(async () => {
      const samples = await scrape(ledger);
      const caughtUp = samples.filter((s) => s.name === 'ledger_projection_lag_events').every((s) => s.value === 0);
      return caughtUp && valueOf(samples, 'ledger_projection_parked_events', { projection: 'certification' }) === 1 && samples.some((s) => s.name === 'ledger_log_checkpoint_age_seconds') ? samples : undefined;
    }, 60_000);
    const delta = (name: string, labels: Record<string, string> = {}) => valueOf(after, name, labels) - valueOf(before, name, labels);

    expect(delta('http_request_duration_seconds_count', { method: 'POST', route: '/v1/enrollments', status_code: '201' })).toBe(15);
    expect(delta('http_request_duration_seconds_count', { method: 'POST', route: '/v1/enrollments', status_code: '400' })).toBe(1);
    expect(delta('http_request_duration_seconds_count', { method: 'POST', route: '/v1/enrollments/:processId/certificate', status_code: '201' })).toBe(3);
    expect(delta('http_request_duration_seconds_count', { method: 'GET', route: '/v1/public/certificates/:folio', status_code: '200' })).toBe(6);
    expect(delta('http_request_duration_seconds_bucket', { method: 'GET', route: '/v1/public/certificates/:folio', status_code: '200', le: '+Inf' })).toBe(6);
    expect(delta('ledger_command_outcomes_total', { route: '/v1/enrollments', outcome: 'accepted' })).toBe(15);
    expect(delta('ledger_command_outcomes_total', { route: '/v1/enrollments', outcome: 'CURP_CHECK_DIGIT' })).toBe(1);
    expect(delta('ledger_command_outcomes_total', { route: '/v1/enrollments', outcome: 'UNAUTHENTICATED' })).toBe(1);
    expect(delta('ledger_command_outcomes_total', { route: '/v1/enrollments/:processId/evaluations', outcome: 'accepted' })).toBe(3);
    // 15 enrollments, 3 evaluations, 3 issuances (each with its folio's event): at least 21 appends, each of one event or more.
    expect(delta('ledger_append_duration_seconds_count', { outcome: 'ok' })).toBeGreaterThanOrEqual(21);
    expect(delta('ledger_append_batch_events_count')).toBe(delta('ledger_append_duration_seconds_count', { outcome: 'ok' }));
    expect(delta('ledger_append_batch_events_sum')).toBeGreaterThanOrEqual(24);
    expect(delta('ledger_append_duration_seconds_sum', { outcome: 'ok' })).toBeGreaterThan(0);
    expect(valueOf(after, 'ledger_projection_parked_events', { projection: 'audit' })).toBe(0);
    expect(valueOf(after, 'ledger_log_checkpoint_age_seconds')).toBeGreaterThanOrEqual(0);
    expect(valueOf(after, 'ledger_log_checkpoint_age_seconds')).toBeLessThan(60);
    expect(after.some((sample) => sample.name === 'process_cpu_seconds_total')).toBe(true);
    // Labels are templates and codes: no folio, process id or CURP, whatever the URLs held.
    const labelValues = after.flatMap((sample) => Object.values(sample.labels));
    expect(labelValues.filter((value) => value.includes(folio) || processes.some((id) => value.includes(id)) || /[A-Z]{4}\d{6}[HM]/.test(value))).toEqual([]);
  });

  it('keeps one series for any number of unknown paths, and no caller-written text in its labels, whatever the requests hold', async () => {
    const ledger = server!;
    const before = await scrape(ledger);
    const hostile = [
      ...Array.from({ length: 60 }, (_, n) => `/v1/nowhere-${n}-${randomUUID()}`),
      `/v1/public/certificates/${'A'.repeat(5_000)}`,
      '/v1/public/certificates/%00%1B%5B31m',
      `/${'x'.repeat(2_000)}?curp=${nextPerson().curp}`,
      '/metrics/../v1/certificates',
    ];
    for (const path of hostile) expect((await request(ledger.baseUrl).get(path)).status).toBeLessThan(500);
    // A body of the wrong type, and one far too big, on a command route: counted as refused, by code.
    expect((await post(ledger, '/v1/enrollments', callers.registrar, [1, 2, 3])).status).toBe(400);
    expect((await request(ledger.baseUrl).post('/v1/enrollments').set('Authorization', callers.registrar).set('Content-Type', 'application/json').send(`{"agency":"${'a'.repeat(1_100_000)}"}`)).status).toBe(413);
    const after = await scrape(ledger);
    const unmatched = after.filter((sample) => sample.name === 'http_request_duration_seconds_count' && sample.labels.route === 'unmatched');
    expect(unmatched.map((sample) => `${sample.labels.method} ${sample.labels.status_code}`).sort()).toEqual([...new Set(unmatched.map((sample) => `${sample.labels.method} ${sample.labels.status_code}`))].sort());
    expect(valueOf(after, 'http_request_duration_seconds_count', { method: 'GET', route: 'unmatched', status_code: '404' }) - valueOf(before, 'http_request_duration_seconds_count', { method: 'GET', route: 'unmatched', status_code: '404' })).toBeGreaterThanOrEqual(60);
    expect(after.filter((sample) => sample.name === 'http_request_duration_seconds_count').length - before.filter((sample) => sample.name === 'http_request_duration_seconds_count').length).toBeLessThanOrEqual(4);
    const labels = after.flatMap((sample) => Object.values(sample.labels));
    expect(labels.filter((value) => value.includes('nowhere') || value.includes('AAAA') || value.includes('curp') || /[\u0000-\u001f]/.test(value))).toEqual([]);
    expect(labels.every((value) => value.length < 100)).toBe(true);
  });

  it('with no projector, reports the lag in events exactly; and behind LEDGER_METRICS_TOKEN, answers only the scraper that sends it', async () => {
    await server!.kill();
    server = undefined;
    const head = await store.headPosition();
    for (let n = 0; n < 4; n += 1) {
      await store.appendToStream(`metrics-probe-${randomUUID()}`, Array.from({ length: 10 }, () => ({ ...unfoldable(), type: 'MetricsProbe', data: { n } })), { expectedRevision: 'no_stream' });
    }
    const metricsToken = 'scraper-'.padEnd(40, 'x');
    server = await startLedgerServer({ databaseUrl: database.url, dataDir: data.dir, env: { LEDGER_PROJECTOR: 'off', LEDGER_METRICS_TOKEN: metricsToken } });

    const refused = await request(server.baseUrl).get('/metrics');
    expect(refused.status).toBe(401);
    expect(refused.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(refused.body.code).toBe('UNAUTHENTICATED');
    expect((await request(server.baseUrl).get('/metrics').set('Authorization', `Bearer ${metricsToken}x`)).status).toBe(401);
    expect((await request(server.baseUrl).get('/metrics').set('Authorization', callersFor(server).comptroller)).status).toBe(401);
    // Near misses and junk: another case, the bare token, a prefix, a 6 KB header; each a 401 problem, never a 500.
    for (const authorization of [`bearer ${metricsToken}`, metricsToken, `Bearer ${metricsToken.slice(0, -1)}`, `Bearer ${'x'.repeat(6_000)}`, 'Bearer ']) {
      const answer = await request(server.baseUrl).get('/metrics').set('Authorization', authorization);
      expect({ authorization: authorization.slice(0, 20), status: answer.status, code: answer.body.code }).toEqual({ authorization: authorization.slice(0, 20), status: 401, code: 'UNAUTHENTICATED' });
    }

    const samples = await scrape(server, `Bearer ${metricsToken}`);
    expect((await store.headPosition()) - head).toBe(40n);
    const lag = samples.filter((sample) => sample.name === 'ledger_projection_lag_events');
    expect(lag.map((sample) => sample.labels.projection).sort()).toEqual(['audit', 'certification', 'findings', 'log', 'people', 'programs', 'registry']);
    for (const sample of lag) expect({ projection: sample.labels.projection, lag: sample.value }).toEqual({ projection: sample.labels.projection, lag: 40 });
    for (const sample of samples.filter((s) => s.name === 'ledger_projection_lag_seconds')) expect(sample.value).toBeGreaterThan(0);
  });
});
