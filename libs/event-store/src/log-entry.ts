import { hash } from 'node:crypto';
import { canonicalize } from 'json-canonicalize';
import type { RecordedEvent } from './event-store.port';

/**
 * An event as the verifiable log holds it: the RFC 8785 (JCS) canonical JSON
 * of `{id, type, streamId, revision, data, metadata}` exactly as stored, so
 * that the same event gives the same bytes whichever store holds it and
 * however that store lays out its JSON (key order, spaces, escapes). The
 * position is left out: it is the store's, not the event's (EventStoreDB's
 * positions are byte offsets), and the leaf's index in the tree says where
 * the event stands.
 */
export function logEntryOf(event: RecordedEvent): Buffer {
  return Buffer.from(logEntryText(event), 'utf8');
}

/**
 * RFC 9162 leaf hash of an entry: SHA-256(0x00 ‖ entry). The entry's text is
 * hashed as it is (a string hashes as its UTF-8 bytes, and U+0000 is the byte
 * 0x00), with no Buffer or Hash object made for it: the log builder and
 * `verify` hash every event of the log.
 */
export function logLeafHashOf(event: RecordedEvent): Buffer {
  return hash('sha256', LEAF_PREFIX + logEntryText(event), 'buffer');
}

const LEAF_PREFIX = '\u0000';

/**
 * An event read for `verify`: where it stands and which it is, in text, and
 * its log entry as a store assembled it from the texts it keeps, unparsed:
 * `{"data":…,"id":…,"metadata":…,"revision":…,"streamId":…,"type":…}`, the
 * envelope's members in RFC 8785 order, the strings quoted as JCS quotes
 * them, data and metadata exactly as stored. When those are RFC 8785 text
 * (what the PostgreSQL store writes, see storedJsonOf), the entry is the one
 * logEntryOf gives for the event read through the port. When they are not
 * (an event stored before, or by hand) it is other bytes, which hash to
 * another leaf: a caller that finds the hash not the one the tree holds must
 * look at that event through logEntryOf before it concludes anything.
 */
export interface StoredLogEntry {
  /** Decimal. */
  readonly position: string;
  readonly id: string;
  /** Decimal. */
  readonly revision: string;
  readonly entry: string;
}

/**
 * The leaf hash of a stored entry, SHA-256(0x00 ‖ entry), written into
 * `into` at `offset` (32 bytes). For a whole log: a Buffer of its own for
 * every hash costs more than the hash, where 32 characters of latin1 (one
 * per byte) cost next to nothing.
 */
export function writeStoredLeafHash(entry: string, into: Buffer, offset: number): void {
  // 'binary' is latin1: one character per byte.
  into.write(hash('sha256', LEAF_PREFIX + entry, 'binary'), offset, 32, 'latin1');
}

/**
 * The text a store keeps for an event's data or metadata: the RFC 8785 text
 * of what JSON.stringify makes of the value (so JSON.parse gives back what it
 * gave before: the same members and values; members now in JCS order), or
 * undefined where JSON.stringify gives nothing. Plain JSON values, what
 * events hold, are written once, by the writer logEntryOf uses; anything else
 * (a Date, a toJSON, undefined in an array) goes through JSON.stringify
 * first, so that it means what it meant, then is written canonically.
 */
export function storedJsonOf(value: unknown): string | undefined {
  try {
    return writePlain(value, 0);
  } catch (error) {
    if (error !== NOT_PLAIN) throw error;
  }
  const json = JSON.stringify(value);
  return json === undefined ? undefined : canonicalJson(JSON.parse(json));
}

function logEntryText(event: RecordedEvent): string {
  if (event.revision > BigInt(Number.MAX_SAFE_INTEGER)) throw new RangeError(`revision ${event.revision} of ${event.streamId} is past 2^53`);
  const envelope = { id: event.id, type: event.type, streamId: event.streamId, revision: Number(event.revision), data: event.data, metadata: event.metadata };
  return canonicalJson(envelope);
}

/**
 * The RFC 8785 text of a value, exactly as json-canonicalize's canonicalize()
 * writes it. What JSON gives (plain objects, arrays without holes, strings,
 * finite numbers, booleans, null) is written here, without the library's
 * bookkeeping for every node (a path string per property and a WeakMap entry
 * per object, kept to name a circular reference); anything else (undefined,
 * toJSON, class instances, holes, non-finite numbers, a depth that may be a
 * cycle) sends the whole value to the library, so the bytes are the
 * library's whatever the value.
 */
export function canonicalJson(value: unknown): string {
  try {
    return writePlain(value, 0);
  } catch (error) {
    if (error === NOT_PLAIN) return canonicalize(value);
    throw error;
  }
}

const NOT_PLAIN = Symbol('not plain JSON');
/** Deeper than this is left to the library, which tells a cycle from depth. */
const MAX_PLAIN_DEPTH = 128;
/** What JSON.stringify writes other than as it is: '"', '\\', control characters, and (when lone) surrogates. */
const NEEDS_ESCAPE = /["\\\u0000-\u001f\ud800-\udfff]/;

/** JCS strings are ECMAScript's JSON.stringify; most need no escape, and quoting them is cheaper than the call. */
function quote(text: string): string {
  return NEEDS_ESCAPE.test(text) ? JSON.stringify(text) : `"${text}"`;
}

/** Member names repeat from event to event (the same few types and envelopes): each is quoted once. */
const quotedNames = new Map<string, string>();
const MAX_QUOTED_NAMES = 4_096;

function memberName(name: string): string {
  let quoted = quotedNames.get(name);
  if (quoted === undefined) {
    quoted = `${quote(name)}:`;
    if (quotedNames.size < MAX_QUOTED_NAMES) quotedNames.set(name, quoted);
  }
  return quoted;
}

function writePlain(value: unknown, depth: number): string {
  switch (typeof value) {
    case 'string':
      return quote(value);
    case 'number':
      // Finite numbers: ECMAScript's Number::toString, which is what JCS specifies (and JSON.stringify writes).
      if (!Number.isFinite(value)) throw NOT_PLAIN;
      return String(value);
    case 'boolean':
      return value ? 'true' : 'false';
    case 'object': {
      if (value === null) return 'null';
      if (depth >= MAX_PLAIN_DEPTH || (value as { toJSON?: unknown }).toJSON != null) throw NOT_PLAIN;
      if (Array.isArray(value)) {
        let text = '[';
        for (let index = 0; index < value.length; index += 1) {
          const element: unknown = value[index];
          // A hole or undefined: the library skips the one and writes null for the other.
          if (element === undefined) throw NOT_PLAIN;
          if (index > 0) text += ',';
          text += writePlain(element, depth + 1);
        }
        return text + ']';
      }
      const prototype: unknown = Object.getPrototypeOf(value);
      if (prototype !== Object.prototype && prototype !== null) throw NOT_PLAIN;
      const record = value as Record<string, unknown>;
      // Keys in UTF-16 code unit order, as Array.prototype.sort orders strings and JCS specifies; undefined members are left out.
      const keys = Object.keys(record).sort();
      let text = '{';
      for (const key of keys) {
        const member = record[key];
        if (member === undefined) continue;
        text += (text.length === 1 ? '' : ',') + memberName(key) + writePlain(member, depth + 1);
      }
      return text + '}';
    }
    default:
      // undefined, bigint, function, symbol
      throw NOT_PLAIN;
  }
}
