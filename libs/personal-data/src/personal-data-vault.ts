import type { RecordedEvent } from '@ledger/event-store';
import {
  asSealed,
  masterKeyOf,
  newDataKey,
  newKeyId,
  openPersonalData,
  sealPersonalData,
  unwrapDataKey,
  wrapDataKey,
  type MasterKey,
} from './personal-data-cipher';
import type { DataKeyRecord, PersonalDataKeyStore } from './personal-data-key-store.port';
import { ERASED_MARK, personalFieldsOf, SEALED_MEMBER, subjectOfStream } from './personal-fields';

export interface VaultOptions {
  /** Subjects whose key (or whose lack of one) is kept in memory. */
  readonly cacheSize?: number;
  /**
   * How long a live key (or a subject's having none) is believed without
   * asking the store again: bounds how long another instance keeps reading
   * a subject after this one erased it. An erasure is believed forever.
   */
  readonly cacheTtlMs?: number;
  readonly now?: () => number;
}

/** A command for a subject whose data key was destroyed: nothing may be written for it again. */
export class SubjectErasedError extends Error {
  readonly code = 'PERSON_ERASED';
  constructor(readonly subjectId: string) {
    super('the personal data of this subject was erased');
    this.name = 'SubjectErasedError';
  }
}

/** The key store says a key was wrapped by another master key than this ledger's: a configuration error, never an erasure. */
export class MasterKeyMismatchError extends Error {
  constructor(readonly found: readonly string[], readonly expected: string) {
    super(`the key store holds data keys wrapped by master key ${found.join(', ')}, this ledger's is ${expected}: configure the master key the keys were made with (LEDGER_MASTER_KEY or secrets/master.key)`);
    this.name = 'MasterKeyMismatchError';
  }
}

/** A stored event that is about to be appended: its type and data, and the revision it will have. */
export interface EventToSeal {
  readonly type: string;
  readonly data: unknown;
  readonly revision: bigint;
}

type Known = { readonly status: 'live'; readonly keyId: string; readonly dataKey: Buffer } | { readonly status: 'erased' } | { readonly status: 'none' };

interface CacheEntry {
  readonly known: Known;
  readonly expiresAt: number;
}

const DEFAULT_CACHE_SIZE = 50_000;
const DEFAULT_CACHE_TTL_MS = 30_000;

/**
 * The one place personal data is sealed and opened. The write side seals the
 * personal fields of `person-*` events at the append boundary (the domain
 * decides on plaintext); every reader (the command side loading a person,
 * the projections, the privacy office) opens events through `open`, in
 * batches, with the subjects' keys fetched once per batch and cached.
 *
 * Opening never fails on the event's account: an event whose personal data
 * cannot be read (key destroyed, key absent, bytes that do not authenticate)
 * reads with its personal fields null and `personalData: "erased"`, so a
 * fold goes on. Only the store being unreachable, or a master key that is
 * not the one the keys were wrapped with, makes it throw.
 */
export class PersonalDataVault {
  private readonly master: MasterKey;
  private readonly cache = new Map<string, CacheEntry>();
  private readonly cacheSize: number;
  private readonly cacheTtlMs: number;
  private readonly now: () => number;

  constructor(
    private readonly store: PersonalDataKeyStore,
    masterSecret: string,
    options: VaultOptions = {},
  ) {
    this.master = masterKeyOf(masterSecret);
    this.cacheSize = options.cacheSize ?? DEFAULT_CACHE_SIZE;
    this.cacheTtlMs = options.cacheTtlMs ?? DEFAULT_CACHE_TTL_MS;
    this.now = options.now ?? Date.now;
  }

  get masterKeyId(): string {
    return this.master.id;
  }

  /** Refuses a master key other than the one the stored keys were wrapped with: better not to start than to read every name as erased. */
  async assertMasterKey(): Promise<void> {
    const found = await this.store.masterKeyIds();
    const others = found.filter((id) => id !== this.master.id);
    if (others.length > 0) throw new MasterKeyMismatchError(others, this.master.id);
  }

  /** The data to store for each event: personal fields sealed under the subject's key, bound to the stream and revision. */
  async seal(streamId: string, events: readonly EventToSeal[]): Promise<unknown[]> {
    const subjectId = subjectOfStream(streamId);
    if (subjectId === undefined || !events.some((event) => personalFieldsOf(streamId, event.type))) return events.map((event) => event.data);
    const key = await this.writingKey(subjectId);
    return events.map((event) => {
      const fields = personalFieldsOf(streamId, event.type);
      if (!fields || !isRecord(event.data)) return event.data;
      const personal: Record<string, unknown> = {};
      const rest: Record<string, unknown> = {};
      for (const [name, value] of Object.entries(event.data)) (fields.includes(name) ? personal : rest)[name] = value;
      const sealed = sealPersonalData(personal, key.dataKey, { streamId, revision: event.revision, type: event.type, keyId: key.keyId });
      return { ...rest, [SEALED_MEMBER]: sealed };
    });
  }

  /** The events as readers see them: personal fields opened, or erased. Events of other streams and types come back as they are. */
  async open(events: readonly RecordedEvent[]): Promise<RecordedEvent[]> {
    const subjects = new Set<string>();
    for (const event of events) {
      const subjectId = subjectOfStream(event.streamId);
      if (subjectId === undefined) continue;
      if (event.type === 'PersonalDataErased') this.forget(subjectId);
      else if (personalFieldsOf(event.streamId, event.type)) subjects.add(subjectId);
    }
    if (subjects.size === 0) return [...events];
    const known = await this.knownKeys([...subjects]);
    // An erasure later in the batch is already true of the stream's earlier events.
    const erasedHere = new Set(events.filter((event) => event.type === 'PersonalDataErased').map((event) => subjectOfStream(event.streamId)));
    return events.map((event) => {
      const fields = personalFieldsOf(event.streamId, event.type);
      const subjectId = subjectOfStream(event.streamId);
      if (!fields || subjectId === undefined) return event;
      const key = erasedHere.has(subjectId) ? ({ status: 'erased' } as const) : known.get(subjectId)!;
      return { ...event, data: openedData(event, fields, key) };
    });
  }

  /**
   * Destroys the subject's data key: from now on nothing can open its
   * personal data. Idempotent; the caller records the erasure in the log first.
   */
  async erase(subjectId: string): Promise<void> {
    await this.store.destroy(subjectId);
    this.remember(subjectId, { status: 'erased' });
  }

  /** Whether the key store records this subject as erased (asked of the store, not the cache). */
  async isErased(subjectId: string): Promise<boolean> {
    const [record] = await this.store.findBySubjects([subjectId]);
    return record?.status === 'erased';
  }

  private async writingKey(subjectId: string): Promise<{ keyId: string; dataKey: Buffer }> {
    const cached = this.cached(subjectId);
    if (cached?.status === 'live') return cached;
    if (cached?.status === 'erased') throw new SubjectErasedError(subjectId);
    const dataKey = newDataKey();
    const keyId = newKeyId();
    const record = await this.store.ensureKey(subjectId, { keyId, wrappedKey: wrapDataKey(this.master, dataKey, { subjectId, keyId }), masterKeyId: this.master.id });
    const known = this.knownOf(record);
    this.remember(subjectId, known);
    if (known.status !== 'live') throw new SubjectErasedError(subjectId);
    return known;
  }

  private async knownKeys(subjectIds: readonly string[]): Promise<Map<string, Known>> {
    const known = new Map<string, Known>();
    const missing: string[] = [];
    for (const subjectId of subjectIds) {
      const cached = this.cached(subjectId);
      if (cached) known.set(subjectId, cached);
      else missing.push(subjectId);
    }
    if (missing.length === 0) return known;
    const records = new Map((await this.store.findBySubjects(missing)).map((record) => [record.subjectId, record]));
    for (const subjectId of missing) {
      const record = records.get(subjectId);
      const entry = record ? this.knownOf(record) : ({ status: 'none' } as const);
      this.remember(subjectId, entry);
      known.set(subjectId, entry);
    }
    return known;
  }

  private knownOf(record: DataKeyRecord): Known {
    if (record.status === 'erased') return { status: 'erased' };
    if (record.masterKeyId !== this.master.id) throw new MasterKeyMismatchError([record.masterKeyId], this.master.id);
    try {
      return { status: 'live', keyId: record.keyId, dataKey: unwrapDataKey(this.master, record.wrappedKey, { subjectId: record.subjectId, keyId: record.keyId }) };
    } catch {
      // A wrapped key that does not authenticate under the right master key was altered: its data is lost like an erased one.
      return { status: 'erased' };
    }
  }

  private cached(subjectId: string): Known | undefined {
    const entry = this.cache.get(subjectId);
    if (!entry) return undefined;
    if (entry.expiresAt <= this.now()) {
      this.cache.delete(subjectId);
      return undefined;
    }
    return entry.known;
  }

  private remember(subjectId: string, known: Known): void {
    this.cache.delete(subjectId);
    if (this.cache.size >= this.cacheSize) this.cache.delete(this.cache.keys().next().value as string);
    this.cache.set(subjectId, { known, expiresAt: known.status === 'erased' ? Number.POSITIVE_INFINITY : this.now() + this.cacheTtlMs });
  }

  private forget(subjectId: string): void {
    if (this.cache.get(subjectId)?.known.status !== 'erased') this.cache.delete(subjectId);
  }
}

/**
 * The data of one person event as readers see it. Sealed: opened with the
 * subject's key, else erased. Plaintext (written before encryption): as it
 * is, unless the subject was erased since.
 */
function openedData(event: RecordedEvent, fields: readonly string[], key: Known): unknown {
  if (!isRecord(event.data)) return event.data;
  const { [SEALED_MEMBER]: stored, ...rest } = event.data;
  const sealed = asSealed(stored);
  if (sealed === undefined) return key.status === 'erased' ? erasedData(event.data, fields) : event.data;
  if (key.status !== 'live' || key.keyId !== sealed.keyId) return erasedData(rest, fields);
  try {
    const personal = openPersonalData(sealed, key.dataKey, { streamId: event.streamId, revision: event.revision, type: event.type, keyId: sealed.keyId });
    // Only the fields this type seals: a sealed value cannot smuggle in a subjectId or an instant.
    const opened: Record<string, unknown> = { ...rest };
    for (const field of fields) if (Object.hasOwn(personal, field)) opened[field] = personal[field];
    return opened;
  } catch {
    return erasedData(rest, fields);
  }
}

function erasedData(data: Readonly<Record<string, unknown>>, fields: readonly string[]): Record<string, unknown> {
  const erased: Record<string, unknown> = { ...data };
  for (const field of fields) erased[field] = null;
  erased[SEALED_MEMBER] = ERASED_MARK;
  return erased;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}
