import type { IncomingMessage, ServerResponse } from 'node:http';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import { WrongExpectedRevisionError, type EventStore } from '@ledger/event-store';
import { problemOf, routeOf } from './route-label';

/** How the read side stands at a scrape: what `ReadSideHealth` measures, per projection. */
export interface ReadSideSample {
  readonly projections: readonly { readonly name: string; readonly lagEvents: number; readonly lagSeconds: number; readonly parked: number }[];
  /** Seconds since the latest checkpoint of the verifiable log was signed; undefined before the first. */
  readonly checkpointAgeSeconds?: number;
}

const SECONDS_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];
const BATCH_BUCKETS = [1, 2, 5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000];
const WRITE_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/**
 * The ledger's Prometheus metrics (prom-client), named as Prometheus's
 * conventions say (base units, `_total` counters, `_seconds` durations):
 *
 *   http_request_duration_seconds{method,route,status_code}   every answer, by route template
 *   ledger_command_outcomes_total{route,outcome}             every command: `accepted` or the problem's code
 *   ledger_append_batch_events, ledger_append_duration_seconds{outcome}   every append to the event store
 *   ledger_projection_lag_events, ledger_projection_lag_seconds,
 *   ledger_projection_parked_events{projection}              the read side, measured at each scrape
 *   ledger_log_checkpoint_age_seconds                        since the verifiable log's latest signed checkpoint
 *
 * and Node's process metrics. Labels are templates and codes, never a URL,
 * an id or anything a caller wrote: no personal data, and a bounded number
 * of series.
 */
export class LedgerMetrics {
  readonly registry = new Registry();
  private readSide?: () => Promise<ReadSideSample>;

  private readonly httpDuration = new Histogram({
    name: 'http_request_duration_seconds',
    help: 'Time to answer an HTTP request, by route template, method and status code',
    labelNames: ['method', 'route', 'status_code'] as const,
    buckets: SECONDS_BUCKETS,
    registers: [this.registry],
  });

  private readonly commandOutcomes = new Counter({
    name: 'ledger_command_outcomes_total',
    help: 'Commands answered, by route template and outcome (accepted, or the code of the problem they were refused with)',
    labelNames: ['route', 'outcome'] as const,
    registers: [this.registry],
  });

  private readonly appendBatch = new Histogram({
    name: 'ledger_append_batch_events',
    help: 'Events per append to the event store',
    buckets: BATCH_BUCKETS,
    registers: [this.registry],
  });

  private readonly appendDuration = new Histogram({
    name: 'ledger_append_duration_seconds',
    help: 'Time of an append to the event store, by outcome (ok, conflict on the expected revision, error)',
    labelNames: ['outcome'] as const,
    buckets: SECONDS_BUCKETS,
    registers: [this.registry],
  });

  constructor() {
    collectDefaultMetrics({ register: this.registry });
    // One read of the read side per scrape, shared by the four gauges it fills.
    let sampling: Promise<ReadSideSample | undefined> | undefined;
    const sample = () => (sampling ??= (this.readSide?.() ?? Promise.resolve(undefined)).catch(() => undefined).finally(() => setImmediate(() => (sampling = undefined))));
    const gauge = (name: string, help: string, fill: (gauge: Gauge<'projection'>, sample: ReadSideSample) => void, labelNames: readonly 'projection'[] = ['projection']) =>
      new Gauge({
        name,
        help,
        labelNames,
        registers: [this.registry],
        async collect() {
          this.reset();
          const taken = await sample();
          if (taken) fill(this, taken);
        },
      });
    gauge('ledger_projection_lag_events', 'Events in the log a projection has not folded yet', (g, s) => s.projections.forEach((p) => g.set({ projection: p.name }, p.lagEvents)));
    gauge('ledger_projection_lag_seconds', 'Age of the oldest event a projection has not folded yet', (g, s) => s.projections.forEach((p) => g.set({ projection: p.name }, p.lagSeconds)));
    gauge('ledger_projection_parked_events', 'Events a projection set aside because they could not be folded', (g, s) => s.projections.forEach((p) => g.set({ projection: p.name }, p.parked)));
    gauge(
      'ledger_log_checkpoint_age_seconds',
      "Seconds since the verifiable log's latest checkpoint was signed",
      (g, s) => s.checkpointAgeSeconds !== undefined && g.set(s.checkpointAgeSeconds),
      [],
    );
  }

  /** Where the read side's gauges come from (the health module's ReadSideHealth). */
  observeReadSide(source: () => Promise<ReadSideSample>): void {
    this.readSide = source;
  }

  /** Times a request from here to its answer's last byte (or to the connection closing first). */
  observeRequest(request: IncomingMessage, response: ServerResponse): void {
    const started = process.hrtime.bigint();
    let done = false;
    const record = () => {
      if (done) return;
      done = true;
      const route = routeOf(request);
      const status = response.writableFinished ? String(response.statusCode) : 'aborted';
      const method = request.method ?? 'OTHER';
      this.httpDuration.observe({ method, route, status_code: status }, Number(process.hrtime.bigint() - started) / 1e9);
      if (WRITE_METHODS.has(method) && route.startsWith('/v1/')) {
        const outcome = problemOf(response) ?? (response.statusCode < 400 ? 'accepted' : `HTTP_${response.statusCode}`);
        this.commandOutcomes.inc({ route, outcome });
      }
    };
    response.once('finish', record);
    response.once('close', record);
  }

  /**
   * Meters the store's appends in place (the same object, so that what
   * checks its class still sees it): batch size, and time by outcome.
   */
  meterAppends<T extends EventStore>(store: T): T {
    const append = store.appendToStream.bind(store);
    store.appendToStream = async (streamId, events, options) => {
      const started = process.hrtime.bigint();
      const seconds = () => Number(process.hrtime.bigint() - started) / 1e9;
      try {
        const result = await append(streamId, events, options);
        this.appendBatch.observe(events.length);
        this.appendDuration.observe({ outcome: 'ok' }, seconds());
        return result;
      } catch (error) {
        this.appendDuration.observe({ outcome: error instanceof WrongExpectedRevisionError ? 'conflict' : 'error' }, seconds());
        throw error;
      }
    };
    return store;
  }

  /** The text a scrape gets, and its content type. */
  async scrape(): Promise<{ contentType: string; body: string }> {
    return { contentType: this.registry.contentType, body: await this.registry.metrics() };
  }
}
