/**
 * What the benchmarks share: autocannon's typed surface, the database
 * helpers (a connection, settling before a measurement, durability
 * settings), the child processes they start (tracked, awaited, stopped by
 * process group) and the statistics they report.
 */
import type { ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import type { EventMetadata, NewEvent } from '@ledger/event-store';
import { Client, Pool } from 'pg';

/** Only the typed part of autocannon (8.x) the benchmarks use. */
export interface AutocannonRequest {
  method?: string;
  path?: string;
  headers?: Record<string, string>;
  body?: string;
  setupRequest?: (request: AutocannonRequest, context: Record<string, unknown>) => AutocannonRequest | undefined;
  onResponse?: (status: number, body: string, context: Record<string, unknown>) => void;
}
export interface AutocannonResult {
  requests: { average: number; sent: number };
  latency: { p50: number; p99: number };
  statusCodeStats: Record<string, { count: number }>;
  non2xx: number;
  errors: number;
  timeouts: number;
  duration: number;
}
export interface AutocannonInstance extends PromiseLike<AutocannonResult> {
  on(event: 'response', listener: (client: unknown, statusCode: number, bytes: number, responseTimeMs: number) => void): this;
}
export type Autocannon = (options: {
  url: string;
  connections: number;
  duration: number;
  headers?: Record<string, string>;
  warmup?: { connections: number; duration: number };
  requests?: AutocannonRequest[];
}) => AutocannonInstance;
// autocannon ships no types: required, and typed by the interfaces above.
export const autocannon = require('autocannon') as Autocannon;

/** Node's options for a child under load, from an environment variable (say `--cpu-prof --cpu-prof-dir=/tmp/prof`, which NODE_OPTIONS refuses). */
export function nodeArgsFrom(variable: string): string[] {
  return (process.env[variable] ?? '').split(' ').filter((arg) => arg.length > 0);
}

/** Vacuum and checkpoint now, so that autovacuum and the checkpointer do not bill the next measurement for the rows written before. */
export async function settleDatabase(url: string): Promise<void> {
  await withClient(url, async (client) => {
    await client.query('VACUUM (ANALYZE)');
    await client.query('CHECKPOINT');
  });
}

export async function durabilitySettings(url: string): Promise<string> {
  return withClient(url, async (client) => {
    const { rows } = await client.query(`SELECT current_setting('fsync') AS fsync, current_setting('synchronous_commit') AS sync, version() AS version`);
    return `fsync=${rows[0].fsync}, synchronous_commit=${rows[0].sync}, ${String(rows[0].version).split(' on ')[0]}`;
  });
}

export async function withPool<T>(url: string, work: (pool: Pool) => Promise<T>): Promise<T> {
  const pool = new Pool({ connectionString: url, max: 1 });
  try {
    return await work(pool);
  } finally {
    await pool.end();
  }
}

export async function withClient<T>(url: string, work: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

export function track(children: Set<ChildProcess>, child: ChildProcess): ChildProcess {
  children.add(child);
  child.once('exit', () => children.delete(child));
  return child;
}

/** The last `lines` lines of a log file, for an error message. */
export function tail(file: string, lines: number): string {
  try {
    return `\n${readFileSync(file, 'utf8').split('\n').slice(-lines).join('\n')}`;
  } catch {
    return '(no log)';
  }
}

/** Polls `url` until it answers 200; the server's exit or the deadline fails, with the tail of its log when there is one. */
export async function waitForHttp(url: string, child: ChildProcess, timeoutMs = 30_000, logFile?: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`the server exited with ${child.exitCode} before it answered ${url}${logFile ? `: ${tail(logFile, 40)}` : ''}`);
    try {
      if ((await fetch(url)).status === 200) return;
    } catch {
      // not listening yet
    }
    await sleep(150);
  }
  throw new Error(`${url} did not answer within ${timeoutMs} ms${logFile ? `: ${tail(logFile, 40)}` : ''}`);
}

/** SIGTERM to the child's process group, SIGKILL after 15 s; resolves once it has exited. */
export async function stopChild(child: ChildProcess, children: Set<ChildProcess>): Promise<void> {
  if (child.exitCode === null && child.signalCode === null) {
    const exited = new Promise<void>((resolveExit) => child.once('exit', () => resolveExit()));
    signalGroup(child, 'SIGTERM');
    const timer = setTimeout(() => signalGroup(child, 'SIGKILL'), 15_000);
    await exited;
    clearTimeout(timer);
  }
  children.delete(child);
}

export function signalGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  try {
    process.kill(-(child.pid as number), signal);
  } catch {
    child.kill(signal);
  }
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolveSleep) => setTimeout(resolveSleep, ms));
}

export function percentile(values: number[], fraction: number): number {
  if (values.length === 0) return NaN;
  const sorted = Float64Array.from(values).sort();
  return sorted[Math.min(sorted.length - 1, Math.floor(fraction * sorted.length))];
}


/** Clock ticks per second of /proc's CPU times: USER_HZ, 100 on Linux. */
const USER_HZ = 100;

/**
 * CPU seconds (user and system) spent so far by a process and every process
 * under it that is still running, from /proc (Linux): the ledger and the
 * PostgreSQL it started, backends included. A figure that neighbours on a
 * shared machine disturb far less than throughput: they take time slices
 * away, they do not make our own work cost more cycles (much). NaN off Linux.
 */
export function cpuSecondsOfTree(rootPid: number): number {
  let entries: string[];
  try {
    entries = readdirSync('/proc').filter((name) => /^\d+$/.test(name));
  } catch {
    return NaN;
  }
  const parentOf = new Map<number, number>();
  const ticksOf = new Map<number, number>();
  for (const name of entries) {
    let stat: string;
    try {
      stat = readFileSync(`/proc/${name}/stat`, 'utf8');
    } catch {
      continue; // exited meanwhile
    }
    // After the command's closing parenthesis: state, ppid, ... utime is field 14 and stime 15 of the whole line.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    parentOf.set(Number(name), Number(fields[1]));
    ticksOf.set(Number(name), Number(fields[11]) + Number(fields[12]));
  }
  let ticks = 0;
  for (const [pid, own] of ticksOf) {
    for (let at: number | undefined = pid; at !== undefined && at > 1; at = parentOf.get(at)) {
      if (at === rootPid) {
        ticks += own;
        break;
      }
    }
  }
  return ticks / USER_HZ;
}

/** The port's single-event append rate (bench:append's path b), the baseline the write-side benchmarks measure against. */
export interface PortAppendRate {
  perSecond: number;
  count: number;
  /** The measured window. */
  seconds: number;
  p50: number;
  p99: number;
  failures: number;
}

/**
 * `writers` concurrent writers, each appending one event to a new stream
 * (expecting no_stream) in a loop, through the port: a warm-up of
 * `warmUpMs`, then `seconds` measured.
 */
export async function portAppendRate(
  store: { appendToStream(streamId: string, events: readonly NewEvent[], options: { expectedRevision: 'no_stream' }): Promise<unknown> },
  options: {
    label: string;
    writers: number;
    seconds: number;
    warmUpMs: number;
    /** Called just before and just after the measured window (after the warm-up), for figures taken around it. */
    onWindow?: (phase: 'start' | 'end') => Promise<void>;
  },
): Promise<PortAppendRate> {
  const prefix = `bench-${options.label}-`;
  let failures = 0;
  const run = async (durationMs: number) => {
    const deadline = performance.now() + durationMs;
    const latencies = await Promise.all(
      Array.from({ length: options.writers }, async () => {
        const mine: number[] = [];
        while (performance.now() < deadline) {
          const start = performance.now();
          try {
            await store.appendToStream(prefix + randomUUID(), [benchEvent()], { expectedRevision: 'no_stream' });
            mine.push(performance.now() - start);
          } catch {
            failures += 1;
          }
        }
        return mine;
      }),
    );
    return latencies.flat();
  };
  await run(options.warmUpMs);
  await options.onWindow?.('start');
  const started = performance.now();
  const latencies = await run(options.seconds * 1000);
  const seconds = (performance.now() - started) / 1000;
  await options.onWindow?.('end');
  return { perSecond: latencies.length / seconds, count: latencies.length, seconds, p50: percentile(latencies, 0.5), p99: percentile(latencies, 0.99), failures };
}

/** The event the append benchmarks write: a small EvaluationRecorded, its metadata recorded now (lags in seconds are read from it). */
export function benchEvent(): NewEvent {
  const now = new Date().toISOString();
  const metadata: EventMetadata = {
    actor: { id: 'bench-registrar', role: 'registrar', organizationId: 'bench-org' },
    commandId: randomUUID(),
    correlationId: randomUUID(),
    causationId: randomUUID(),
    occurredAt: now,
    recordedAt: now,
    schemaVersion: 1,
  };
  return { id: randomUUID(), type: 'EvaluationRecorded', data: BENCH_EVENT_DATA, metadata };
}

const BENCH_EVENT_DATA = { standardCode: 'EC0217.01', candidate: 'Ñandú Pérez', evaluatedAt: '2024-02-28' };

/** `--name N` from the command line, a positive integer, or `fallback`. */
export function positiveIntegerOption(args: readonly string[], name: string, fallback: number): number {
  const index = args.indexOf(`--${name}`);
  const parsed = index >= 0 ? Number(args[index + 1]) : fallback;
  if (!Number.isInteger(parsed) || parsed <= 0) throw new Error(`--${name} must be a positive integer`);
  return parsed;
}
