/**
 * Whether an error says that storage (PostgreSQL, EventStoreDB) is down,
 * restarting or out of reach, rather than that a request or an event is at
 * fault. The difference decides everything on both sides: a command answers
 * 503 (retry later) instead of 500, and a projection waits for the store to
 * come back instead of setting an event aside as unfoldable.
 */

/** Node's network errors: the peer is down, restarting or unreachable. */
const NETWORK_ERROR_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'EHOSTUNREACH', 'ENETUNREACH', 'ENOTFOUND', 'EAI_AGAIN']);
/**
 * PostgreSQL: connection exceptions (class 08), insufficient resources (53:
 * out of connections, memory or disk), operator intervention (57: shutting
 * down, crash recovery, starting up), and system errors (58: I/O).
 */
const POSTGRES_UNAVAILABLE = /^(08|53|57|58)[0-9A-Z]{3}$/;
/** Messages of the pg driver when its connection is gone, or its pool found none in time. */
const POSTGRES_CONNECTION_LOST =
  /Connection terminated|connection error and is not queryable|Client was closed and is not queryable|timeout exceeded when trying to connect|the database system is (starting up|shutting down|in recovery mode)/;
/** EventStoreDB client errors (`type`) and gRPC status codes for a server that is down or too slow. */
const EVENTSTORE_UNAVAILABLE_TYPES = new Set(['unavailable', 'deadline-exceeded']);
const GRPC_UNAVAILABLE_CODES = new Set([4, 14]);

export function isStorageOutage(error: unknown, depth = 0): boolean {
  if (!(error instanceof Error) || depth > 3) return false;
  const fields = error as unknown as Record<string, unknown>;
  const code = fields.code;
  if (typeof code === 'string' && (NETWORK_ERROR_CODES.has(code) || POSTGRES_UNAVAILABLE.test(code))) return true;
  if (typeof code === 'number' && GRPC_UNAVAILABLE_CODES.has(code)) return true;
  if (EVENTSTORE_UNAVAILABLE_TYPES.has(String(fields.type))) return true;
  if (POSTGRES_CONNECTION_LOST.test(error.message)) return true;
  // Drivers and ORMs wrap the original error.
  return isStorageOutage(fields.cause, depth + 1) || isStorageOutage(fields.driverError, depth + 1);
}

/**
 * PostgreSQL errors that mean "try the same again": serialization failure,
 * deadlock, a lock not obtained in time, a statement cancelled by a timeout.
 * Nothing in the data is at fault.
 */
const POSTGRES_TRY_AGAIN = new Set(['40001', '40P01', '55P03', '57014']);

/** An outage, or a conflict that the same statement may not meet next time. */
export function isTransientStorageFailure(error: unknown): boolean {
  if (isStorageOutage(error)) return true;
  const code = error instanceof Error ? (error as unknown as Record<string, unknown>).code : undefined;
  return typeof code === 'string' && POSTGRES_TRY_AGAIN.has(code);
}
