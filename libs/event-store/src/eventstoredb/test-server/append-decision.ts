/**
 * How EventStoreDB decides an append to one stream: the expected-version check
 * and its idempotency rules, as documented ("Optimistic concurrency &
 * idempotence") and as the server's commit check behaves:
 *
 * - an explicit revision (or no_stream, i.e. revision -1) equal to the stream's
 *   current revision: write;
 * - an explicit revision behind the tail: if the proposed ids are exactly the
 *   ids stored right after that revision, the write already happened, so answer
 *   success without writing (idempotent); if only some match, or none do, it is
 *   a wrong expected version;
 * - `any` / `stream_exists`: if every proposed id is already stored in this
 *   stream, idempotent; if the first is not, write; if the first is but a later
 *   one is not, wrong expected version ("corrupted idempotency"). EventStoreDB
 *   looks ids up in a bounded cache of recent writes, so there this is best
 *   effort; the test server remembers every id, which is the cache never evicting.
 * - `stream_exists` on a stream without events: wrong expected version.
 */
export type ExpectedVersion = 'any' | 'no_stream' | 'stream_exists' | bigint;

export type AppendDecision =
  | { kind: 'ok' }
  | { kind: 'idempotent'; lastRevision: bigint }
  | { kind: 'wrong_expected_version' };

interface StreamView {
  readonly length: number;
  readonly [revision: number]: { eventId: string };
}

const OK: AppendDecision = { kind: 'ok' };
const WRONG: AppendDecision = { kind: 'wrong_expected_version' };

export function decideAppend(stream: StreamView, expected: ExpectedVersion, eventIds: readonly string[]): AppendDecision {
  const current = BigInt(stream.length) - 1n;
  if (expected === 'stream_exists' && current < 0n) return WRONG;
  if (expected === 'any' || expected === 'stream_exists') return decideByIds(stream, eventIds);
  const expectedRevision = expected === 'no_stream' ? -1n : expected;
  if (expectedRevision < current) return decideBehindTail(stream, expectedRevision, eventIds);
  return expectedRevision === current ? OK : WRONG;
}

/** `any` / `stream_exists`: is every id already somewhere in this stream? */
function decideByIds(stream: StreamView, eventIds: readonly string[]): AppendDecision {
  const revisions = indexIds(stream);
  let lastRevision: bigint | undefined;
  for (const [index, id] of eventIds.entries()) {
    const revision = revisions.get(id);
    if (revision === undefined) return index === 0 ? OK : WRONG;
    lastRevision = revision;
  }
  return lastRevision === undefined ? OK : { kind: 'idempotent', lastRevision };
}

/** An explicit revision behind the tail: a retry of a write that already succeeded? */
function decideBehindTail(stream: StreamView, expectedRevision: bigint, eventIds: readonly string[]): AppendDecision {
  if (eventIds.length === 0) return WRONG;
  for (const [index, id] of eventIds.entries()) {
    const revision = Number(expectedRevision) + 1 + index;
    if (revision >= stream.length || stream[revision].eventId !== id) return WRONG;
  }
  return { kind: 'idempotent', lastRevision: expectedRevision + BigInt(eventIds.length) };
}

function indexIds(stream: StreamView): Map<string, bigint> {
  const revisions = new Map<string, bigint>();
  for (let revision = 0; revision < stream.length; revision++) revisions.set(stream[revision].eventId, BigInt(revision));
  return revisions;
}
