import type { ExpectedRevision } from './event-store.port';

/**
 * Checks every adapter applies to an append before it reaches its store, so a
 * malformed append is refused the same way whichever store is configured.
 */
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Event ids are UUIDs, kept in lower case so lookups and round trips are exact in both stores. */
export function normaliseEventId(id: string): string {
  if (typeof id !== 'string' || !UUID.test(id)) throw new TypeError(`Event id ${String(id)} is not a UUID`);
  return id.toLowerCase();
}

export function assertExpectedRevision(expected: ExpectedRevision): void {
  const valid =
    expected === 'any' || expected === 'no_stream' || expected === 'stream_exists' || (typeof expected === 'bigint' && expected >= 0n);
  if (!valid) throw new TypeError(`Invalid expected revision: ${String(expected)}`);
}
