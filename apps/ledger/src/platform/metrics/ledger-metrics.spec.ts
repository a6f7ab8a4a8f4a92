import { EventEmitter } from 'node:events';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { WrongExpectedRevisionError, type EventStore } from '@ledger/event-store';
import { LedgerMetrics } from './ledger-metrics';
import { labelProblem, labelRoute } from './route-label';

const series = async (metrics: LedgerMetrics, name: string) =>
  (await metrics.registry.getSingleMetric(name)!.get()).values.map((value) => ({ labels: value.labels, value: value.value, metric: (value as { metricName?: string }).metricName ?? name }));

/** A response as Node's HTTP server has it, reduced to what the metrics read. */
function response(statusCode: number): ServerResponse & EventEmitter {
  return Object.assign(new EventEmitter(), { statusCode, writableFinished: false }) as unknown as ServerResponse & EventEmitter;
}

describe('LedgerMetrics', () => {
  it('given a store, when appends succeed and conflict, then batch sizes and durations are counted by outcome, on the same object', async () => {
    const metrics = new LedgerMetrics();
    const calls: number[] = [];
    const store = {
      appendToStream: async (_stream: string, events: readonly unknown[]) => {
        calls.push(events.length);
        if (events.length === 3) throw new WrongExpectedRevisionError('s', 'no_stream', 0n);
        return { nextRevision: 0n, position: 0n };
      },
    } as unknown as EventStore;
    const metered = metrics.meterAppends(store);
    expect(metered).toBe(store);
    await metered.appendToStream('a', [{}, {}] as never);
    await expect(metered.appendToStream('b', [{}, {}, {}] as never)).rejects.toBeInstanceOf(WrongExpectedRevisionError);
    expect(calls).toEqual([2, 3]);
    const durations = await series(metrics, 'ledger_append_duration_seconds');
    const count = (outcome: string) => durations.find((s) => s.metric === 'ledger_append_duration_seconds_count' && s.labels.outcome === outcome)?.value;
    expect([count('ok'), count('conflict')]).toEqual([1, 1]);
    const batches = await series(metrics, 'ledger_append_batch_events');
    expect(batches.find((s) => s.metric === 'ledger_append_batch_events_sum')?.value).toBe(2);
  });

  it('given requests, when they finish or are cut off, then each is counted once by route template, and a refused command by its code', async () => {
    const metrics = new LedgerMetrics();
    const refused = response(400);
    const request = { method: 'POST', route: { path: '/v1/enrollments' }, baseUrl: '' } as unknown as IncomingMessage;
    metrics.observeRequest(request, refused);
    labelProblem(refused, 'CURP_CHECK_DIGIT');
    Object.assign(refused, { writableFinished: true });
    refused.emit('finish');
    refused.emit('close');
    const fast = response(200);
    const health = { method: 'GET', url: '/health' } as IncomingMessage;
    labelRoute(health, '/health');
    metrics.observeRequest(health, fast);
    fast.emit('close');
    const lost = response(200);
    metrics.observeRequest({ method: 'GET', url: '/v1/anything/AAAA' } as IncomingMessage, lost);
    Object.assign(lost, { writableFinished: true });
    lost.emit('finish');

    const counts = (await series(metrics, 'http_request_duration_seconds')).filter((s) => s.metric === 'http_request_duration_seconds_count');
    expect(counts.map((s) => [s.labels.method, s.labels.route, s.labels.status_code, s.value])).toEqual([
      ['POST', '/v1/enrollments', '400', 1],
      ['GET', '/health', 'aborted', 1],
      ['GET', 'unmatched', '200', 1],
    ]);
    const outcomes = await series(metrics, 'ledger_command_outcomes_total');
    expect(outcomes.map((s) => [s.labels.route, s.labels.outcome, s.value])).toEqual([['/v1/enrollments', 'CURP_CHECK_DIGIT', 1]]);
  });

  it('given Nest’s catch-all answering an unknown path, then it counts as unmatched, not under its wildcard', async () => {
    const metrics = new LedgerMetrics();
    const answered = response(404);
    metrics.observeRequest({ method: 'GET', route: { path: '{/*splat}' }, baseUrl: '' } as unknown as IncomingMessage, answered);
    Object.assign(answered, { writableFinished: true });
    answered.emit('finish');
    const counts = (await series(metrics, 'http_request_duration_seconds')).filter((s) => s.metric === 'http_request_duration_seconds_count');
    expect(counts.map((s) => s.labels.route)).toEqual(['unmatched']);
  });

  it('given a read side that fails or never answers in time, when scraped, then the scrape still answers, without its gauges', async () => {
    const metrics = new LedgerMetrics();
    metrics.observeReadSide(() => Promise.reject(new Error('the read models do not answer')));
    const { body } = await metrics.scrape();
    expect(body).toContain('# TYPE ledger_projection_parked_events gauge');
    expect(body).not.toMatch(/^ledger_projection_parked_events\{/m);
    expect(body).toMatch(/^process_cpu_seconds_total /m);
  });

  it('given no read side yet, when scraped, then its gauges are empty and the scrape still answers', async () => {
    const { body, contentType } = await new LedgerMetrics().scrape();
    expect(contentType).toBe('text/plain; version=0.0.4; charset=utf-8');
    expect(body).toContain('# TYPE ledger_projection_lag_events gauge');
    expect(body).not.toMatch(/^ledger_projection_lag_events\{/m);
  });
});
