/**
 * Where subjects' data keys live, wrapped by the master key, apart from the
 * event log: a PostgreSQL table in every mode (EventStoreDB included), a
 * KMS later. Erasure destroys the wrapped key and leaves a tombstone, so
 * that no key is ever made again for that subject.
 */
export interface PersonalDataKeyStore {
  /** The subject's record, storing `candidate` first when the subject has none. */
  ensureKey(subjectId: string, candidate: NewDataKey): Promise<DataKeyRecord>;
  /** The records of these subjects; subjects without one are absent. */
  findBySubjects(subjectIds: readonly string[]): Promise<DataKeyRecord[]>;
  /** Destroys the subject's data key, or records the erasure of a subject that has none (a person registered in plaintext). Idempotent. */
  destroy(subjectId: string): Promise<void>;
  /** The master keys that wrapped the live data keys (normally one). */
  masterKeyIds(): Promise<string[]>;
}

export interface NewDataKey {
  readonly keyId: string;
  readonly wrappedKey: Buffer;
  readonly masterKeyId: string;
}

export type DataKeyRecord =
  | { readonly subjectId: string; readonly keyId: string; readonly status: 'live'; readonly wrappedKey: Buffer; readonly masterKeyId: string }
  | { readonly subjectId: string; readonly keyId: string; readonly status: 'erased'; readonly erasedAt: string };

export const PERSONAL_DATA_KEY_STORE = Symbol('PERSONAL_DATA_KEY_STORE');
