import type { DataKeyRecord, NewDataKey, PersonalDataKeyStore } from '../personal-data-key-store.port';

/** The key store's semantics in memory, for unit tests of the vault and of folds. */
export class InMemoryKeyStore implements PersonalDataKeyStore {
  readonly records = new Map<string, DataKeyRecord>();
  lookups = 0;

  async ensureKey(subjectId: string, candidate: NewDataKey): Promise<DataKeyRecord> {
    if (!this.records.has(subjectId)) this.records.set(subjectId, { subjectId, status: 'live', ...candidate });
    return this.records.get(subjectId)!;
  }

  async findBySubjects(subjectIds: readonly string[]): Promise<DataKeyRecord[]> {
    this.lookups += 1;
    return subjectIds.flatMap((subjectId) => (this.records.has(subjectId) ? [this.records.get(subjectId)!] : []));
  }

  async destroy(subjectId: string): Promise<void> {
    const keyId = this.records.get(subjectId)?.keyId ?? `tombstone-${subjectId}`;
    this.records.set(subjectId, { subjectId, keyId, status: 'erased', erasedAt: new Date(0).toISOString() });
  }

  async masterKeyIds(): Promise<string[]> {
    return [...new Set([...this.records.values()].flatMap((record) => (record.status === 'live' ? [record.masterKeyId] : [])))];
  }
}
