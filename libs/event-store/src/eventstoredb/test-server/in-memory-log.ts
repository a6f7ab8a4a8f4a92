/**
 * The storage of the EventStoreDB test server: one append-only transaction
 * log ($all) and, per stream, the records of that stream in revision order.
 *
 * Positions imitate EventStoreDB's: a record's position is its byte offset in
 * the transaction file, so positions grow monotonically but are not dense, and
 * commit position equals prepare position (every event written through gRPC is
 * "self-committed" since EventStoreDB 20). The log does not start at 0: a real
 * node writes its epoch record first, and position 0 means "start of $all".
 */
import { randomUUID } from 'node:crypto';
import { decideAppend, type AppendDecision, type ExpectedVersion } from './append-decision';

export interface StoredRecord {
  streamId: string;
  /** Per-stream event number, from 0. */
  revision: bigint;
  /** Lower-case canonical UUID. */
  eventId: string;
  type: string;
  contentType: string;
  data: Uint8Array;
  metadata: Uint8Array;
  /** .NET ticks (100 ns) since the Unix epoch, as EventStoreDB reports `created`. */
  created: bigint;
  /** Where the record starts in the transaction file: commit = prepare position. */
  position: bigint;
  /** Where it ends; backward reads of $all return records ending at or before a position. */
  endPosition: bigint;
}

export interface ProposedEvent {
  eventId: string;
  type: string;
  contentType: string;
  data: Uint8Array;
  metadata: Uint8Array;
}

export type AppendOutcome =
  | { kind: 'written' | 'idempotent'; lastRevision: bigint; position: bigint }
  | { kind: 'wrong_expected_version'; currentRevision: bigint | 'no_stream' }
  | { kind: 'nothing_written'; currentRevision: bigint | 'no_stream' };

/** Size of the fixed part of a prepare record; only used to space positions realistically. */
const RECORD_HEADER_BYTES = 94n;
const TICKS_PER_MILLISECOND = 10_000n;

export class InMemoryLog {
  private readonly all: StoredRecord[] = [];
  private readonly streams = new Map<string, StoredRecord[]>();
  private nextPosition: bigint;
  private appended = deferred();

  constructor(firstPosition: bigint) {
    this.nextPosition = firstPosition;
  }

  /** Every record of $all, system records included, in commit order. Read-only view. */
  get records(): readonly StoredRecord[] {
    return this.all;
  }

  /** Where the next record will start: the end of the transaction file. */
  get endPosition(): bigint {
    return this.nextPosition;
  }

  /**
   * Whether $all can be read from this position. A node reads the record that
   * starts there, so a position inside a record (an event's position + 1, say)
   * fails with "invalid position"; the start (0) and the end and beyond are fine.
   */
  isReadablePosition(position: bigint): boolean {
    if (position === 0n || position >= this.nextPosition) return true;
    let low = 0;
    let high = this.all.length - 1;
    while (low <= high) {
      const middle = (low + high) >>> 1;
      const candidate = this.all[middle].position;
      if (candidate === position) return true;
      if (candidate < position) low = middle + 1;
      else high = middle - 1;
    }
    return false;
  }

  streamRecords(streamId: string): readonly StoredRecord[] | undefined {
    return this.streams.get(streamId);
  }

  /** Resolves at the next successful write: live subscriptions wait on it. */
  nextAppend(): Promise<void> {
    return this.appended.promise;
  }

  append(streamId: string, expected: ExpectedVersion, events: readonly ProposedEvent[]): AppendOutcome {
    const stream = this.streams.get(streamId) ?? [];
    const decision = decideAppend(stream, expected, events.map((event) => event.eventId));
    return this.apply(streamId, stream, decision, events);
  }

  /** Writes an event the way the server itself does ($metadata, $statsCollected, …). */
  appendSystemEvent(streamId: string, type: string, data: unknown): StoredRecord {
    // At the stream's own tail, not `any`: an `any` append looks for its ids in the whole stream (a retry?), and the
    // stats timer's stream only grows, so that search grew with every tick until it took a core on a long test run.
    const tail = (this.streams.get(streamId)?.length ?? 0) - 1;
    const outcome = this.append(streamId, tail < 0 ? 'no_stream' : BigInt(tail), [systemEvent(type, data)]);
    if (outcome.kind !== 'written') throw new Error(`system write to ${streamId} failed: ${outcome.kind}`);
    return this.all[this.all.length - 1];
  }

  private apply(
    streamId: string,
    stream: StoredRecord[],
    decision: AppendDecision,
    events: readonly ProposedEvent[],
  ): AppendOutcome {
    switch (decision.kind) {
      case 'wrong_expected_version':
        return { kind: 'wrong_expected_version', currentRevision: currentRevisionOf(stream) };
      case 'idempotent':
        // EventStoreDB answers an idempotent write with the revision and position
        // of the last event of the original write, not with the stream's tail.
        return { kind: 'idempotent', lastRevision: decision.lastRevision, position: stream[Number(decision.lastRevision)].position };
      case 'ok':
        if (events.length === 0) return { kind: 'nothing_written', currentRevision: currentRevisionOf(stream) };
        return this.write(streamId, stream, events);
    }
  }

  private write(streamId: string, stream: StoredRecord[], events: readonly ProposedEvent[]): AppendOutcome {
    const created = BigInt(Date.now()) * TICKS_PER_MILLISECOND;
    for (const event of events) {
      const record = this.placeRecord(streamId, BigInt(stream.length), created, event);
      stream.push(record);
      this.all.push(record);
    }
    this.streams.set(streamId, stream);
    this.notifyAppended();
    const last = stream[stream.length - 1];
    return { kind: 'written', lastRevision: last.revision, position: last.position };
  }

  private placeRecord(streamId: string, revision: bigint, created: bigint, event: ProposedEvent): StoredRecord {
    const position = this.nextPosition;
    const size = RECORD_HEADER_BYTES + byteLength(streamId) + byteLength(event.type)
      + BigInt(event.data.byteLength + event.metadata.byteLength);
    this.nextPosition = position + size;
    return { ...event, streamId, revision, created, position, endPosition: position + size };
  }

  private notifyAppended(): void {
    const previous = this.appended;
    this.appended = deferred();
    previous.resolve();
  }
}

/** Node 20 has no Promise.withResolvers. */
function deferred(): { promise: Promise<void>; resolve: () => void } {
  let resolve!: () => void;
  const promise = new Promise<void>((done) => (resolve = done));
  return { promise, resolve };
}

function currentRevisionOf(stream: readonly StoredRecord[]): bigint | 'no_stream' {
  return stream.length === 0 ? 'no_stream' : BigInt(stream.length - 1);
}

function byteLength(text: string): bigint {
  return BigInt(Buffer.byteLength(text, 'utf8'));
}

function systemEvent(type: string, data: unknown): ProposedEvent {
  return {
    eventId: randomUUID(),
    type,
    contentType: 'application/json',
    data: Buffer.from(JSON.stringify(data), 'utf8'),
    metadata: new Uint8Array(),
  };
}
