/**
 * A wire-level stand-in for one EventStoreDB node, for tests only: a gRPC
 * server implementing the part of `event_store.client.streams.Streams` that
 * @eventstore/db-client uses (Append and Read), with the service definition
 * generated into that package, and storage in memory.
 *
 * Not implemented, so answered UNIMPLEMENTED by grpc-js: BatchAppend, Delete,
 * Tombstone, and every other service. In particular
 * `ServerFeatures/GetSupportedMethods` answers UNIMPLEMENTED, which the client
 * reads as "a server that predates feature discovery" and therefore appends
 * with the plain Append RPC instead of BatchAppend.
 */
import { Server, ServerCredentials } from '@grpc/grpc-js';
import { StreamsService } from '@eventstore/db-client/generated/streams_grpc_pb';
import { InMemoryLog, type StoredRecord } from './in-memory-log';
import { appendHandler } from './append';
import { readHandler, type ReadMetrics } from './read';

export interface EventStoreDbTestServerOptions {
  /** Defaults to 127.0.0.1. */
  host?: string;
  /** Defaults to 0: a free port chosen by the OS. */
  port?: number;
  /**
   * Log position of the first record. A real node starts its log with an epoch
   * record, so events never sit at 0; a value above 2^53 proves that positions
   * survive the trip through the client and the adapter without precision loss.
   */
  firstPosition?: bigint;
  /** Write a `$statsCollected` event to `$stats-<host:port>` this often, as a node does (30 s). 0: never. */
  statsIntervalMs?: number;
}

export interface EventStoreDbTestServer {
  readonly host: string;
  readonly port: number;
  /** `esdb://host:port?tls=false` */
  readonly connectionString: string;
  /** The node's storage, kept across restarts. Tests may inspect it or write system events. */
  readonly log: InMemoryLog;
  /** Kills every open connection and call, then listens again at once, with the same data. */
  dropConnections(): Promise<void>;
  /** Kills every connection and is unreachable for `downtimeMs`, then comes back with the same data. */
  restart(options?: { downtimeMs?: number }): Promise<void>;
  /** Subscriptions (stream or $all) that reached the server since it started, restarts included. */
  readonly subscriptionsStarted: number;
  /** Appends a server-written event (its type should start with `$`). */
  appendSystemEvent(streamId: string, type: string, data?: unknown): StoredRecord;
  stop(): Promise<void>;
}

const DEFAULT_FIRST_POSITION = 128n;

export async function startEventStoreDbTestServer(options: EventStoreDbTestServerOptions = {}): Promise<EventStoreDbTestServer> {
  const host = options.host ?? '127.0.0.1';
  const log = new InMemoryLog(options.firstPosition ?? DEFAULT_FIRST_POSITION);
  const metrics: ReadMetrics = { subscriptionsStarted: 0 };
  let server = createServer(log, metrics);
  const port = await bind(server, host, options.port ?? 0);
  writeStartupSystemEvents(log, host, port);
  const stats = startStatsTimer(log, `$stats-${host}:${port}`, options.statsIntervalMs ?? 0);

  const restart = async ({ downtimeMs = 0 } = {}): Promise<void> => {
    server.forceShutdown();
    if (downtimeMs > 0) await delay(downtimeMs);
    server = createServer(log, metrics);
    await bindWithRetry(server, host, port);
  };

  return {
    host,
    port,
    connectionString: `esdb://${host}:${port}?tls=false`,
    log,
    get subscriptionsStarted() {
      return metrics.subscriptionsStarted;
    },
    dropConnections: () => restart(),
    restart,
    appendSystemEvent: (streamId, type, data = {}) => log.appendSystemEvent(streamId, type, data),
    stop: async () => {
      clearInterval(stats);
      server.forceShutdown();
    },
  };
}

function createServer(log: InMemoryLog, metrics: ReadMetrics): Server {
  const server = new Server();
  server.addService(StreamsService, { read: readHandler(log, metrics), append: appendHandler(log) });
  return server;
}

function bind(server: Server, host: string, port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    server.bindAsync(`${host}:${port}`, ServerCredentials.createInsecure(), (error, boundPort) =>
      error ? reject(error) : resolve(boundPort));
  });
}

/** After a forced shutdown the port can take a moment to be released. */
async function bindWithRetry(server: Server, host: string, port: number): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    try {
      await bind(server, host, port);
      return;
    } catch (error) {
      if (attempt >= 50) throw error;
      await delay(20);
    }
  }
}

/**
 * A fresh node writes stream metadata for some of its own streams before any
 * client connects, so $all never starts with a client's event. Readers that
 * want only their own events have to filter these out, as on a real node.
 */
function writeStartupSystemEvents(log: InMemoryLog, host: string, port: number): void {
  log.appendSystemEvent('$$$scavenges', '$metadata', { $maxAge: 2592000 });
  log.appendSystemEvent(`$$$stats-${host}:${port}`, '$metadata', { $maxAge: 86400 });
}

function startStatsTimer(log: InMemoryLog, streamId: string, intervalMs: number): NodeJS.Timeout | undefined {
  if (intervalMs <= 0) return undefined;
  const timer = setInterval(() => log.appendSystemEvent(streamId, '$statsCollected', { 'proc-id': process.pid }), intervalMs);
  timer.unref();
  return timer;
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
