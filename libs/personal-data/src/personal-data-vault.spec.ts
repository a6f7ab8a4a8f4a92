import type { RecordedEvent } from '@ledger/event-store';
import { masterKeyOf, newDataKey, openPersonalData, sealPersonalData, unwrapDataKey, wrapDataKey, type SealedPersonalData } from './personal-data-cipher';
import { MasterKeyMismatchError, PersonalDataVault, SubjectErasedError } from './personal-data-vault';
import { InMemoryKeyStore } from './testing/in-memory-key-store';

const MASTER = 'a-master-secret-of-more-than-thirty-two-characters';
const SUBJECT = 'a'.repeat(64);
const STREAM = `person-${SUBJECT}`;
const CURP = 'LOOA531113HTCPBN07';
const NAME = 'Andrés Manuel López Obrador';

function recorded(type: string, data: unknown, revision: bigint, streamId = STREAM): RecordedEvent {
  return {
    id: `event-${streamId}-${revision}`,
    type,
    data,
    streamId,
    revision,
    position: revision,
    metadata: { actor: { id: 'r', role: 'registrar', organizationId: 'o' }, commandId: 'c', correlationId: 'c', causationId: 'c', occurredAt: '', recordedAt: '', schemaVersion: 1 },
  };
}

async function sealedRegistration(vault: PersonalDataVault, revision = 0n) {
  const data = { subjectId: SUBJECT, curp: CURP, fullName: NAME, registeredAt: '2024-06-01T12:00:00.000Z' };
  const [stored] = await vault.seal(STREAM, [{ type: 'PersonRegistered', data, revision }]);
  return { data, stored: stored as Record<string, unknown> };
}

describe('personal data cipher', () => {
  const binding = { streamId: STREAM, revision: 3n, type: 'PersonRegistered', keyId: 'k1' };

  it('opens what it sealed, only under the same key and binding', () => {
    const key = newDataKey();
    const sealed = sealPersonalData({ fullName: NAME }, key, binding);
    expect(openPersonalData(sealed, key, binding)).toEqual({ fullName: NAME });
    expect(() => openPersonalData(sealed, newDataKey(), binding)).toThrow('authentication failed');
    for (const other of [{ revision: 4n }, { streamId: `person-${'b'.repeat(64)}` }, { type: 'PersonalDataRectified' }]) {
      expect(() => openPersonalData(sealed, key, { ...binding, ...other })).toThrow('authentication failed');
    }
    expect(() => openPersonalData({ ...sealed, keyId: 'k2' }, key, { ...binding, keyId: 'k2' })).toThrow('authentication failed');
    const flipped = Buffer.from(sealed.ciphertext, 'base64url');
    flipped[0] ^= 1;
    expect(() => openPersonalData({ ...sealed, ciphertext: flipped.toString('base64url') }, key, binding)).toThrow('authentication failed');
  });

  it('holds no trace of the plaintext, and a fresh IV every time', () => {
    const key = newDataKey();
    const first = sealPersonalData({ curp: CURP, fullName: NAME }, key, binding);
    const second = sealPersonalData({ curp: CURP, fullName: NAME }, key, binding);
    expect(first.iv).not.toBe(second.iv);
    expect(first.ciphertext).not.toBe(second.ciphertext);
    const text = JSON.stringify(first);
    for (const form of [CURP, CURP.toLowerCase(), 'López', Buffer.from(NAME).toString('base64'), Buffer.from(CURP).toString('base64')]) expect(text).not.toContain(form);
  });

  it('wraps a data key under the master key, bound to the subject and key id', () => {
    const master = masterKeyOf(MASTER);
    const key = newDataKey();
    const wrapped = wrapDataKey(master, key, { subjectId: SUBJECT, keyId: 'k1' });
    expect(unwrapDataKey(master, wrapped, { subjectId: SUBJECT, keyId: 'k1' })).toEqual(key);
    expect(() => unwrapDataKey(master, wrapped, { subjectId: 'b'.repeat(64), keyId: 'k1' })).toThrow();
    expect(() => unwrapDataKey(masterKeyOf(`${MASTER}-other`), wrapped, { subjectId: SUBJECT, keyId: 'k1' })).toThrow();
    expect(masterKeyOf(MASTER).id).toBe(master.id);
    expect(masterKeyOf(`${MASTER}-other`).id).not.toBe(master.id);
  });
});

describe('personal data vault', () => {
  it('seals only the personal fields of person events, and opens them again', async () => {
    const vault = new PersonalDataVault(new InMemoryKeyStore(), MASTER);
    const { data, stored } = await sealedRegistration(vault);
    expect(stored).toEqual({ subjectId: SUBJECT, registeredAt: data.registeredAt, personalData: expect.objectContaining({ format: 'A256GCM/1' }) });
    const [opened] = await vault.open([recorded('PersonRegistered', stored, 0n)]);
    expect(opened.data).toEqual(data);
    const enrollment = { subjectId: SUBJECT, processId: 'p', standardCode: 'EC0105', openedAt: '2024-06-01T12:00:00.000Z' };
    expect(await vault.seal(STREAM, [{ type: 'EnrollmentOpened', data: enrollment, revision: 1n }])).toEqual([enrollment]);
    expect(await vault.seal('certification-p', [{ type: 'PersonRegistered', data, revision: 0n }])).toEqual([data]);
  });

  it('reads a sealed value moved to another revision or stream as erased, never as its plaintext', async () => {
    const vault = new PersonalDataVault(new InMemoryKeyStore(), MASTER);
    const { stored } = await sealedRegistration(vault);
    const [moved] = await vault.open([recorded('PersonRegistered', stored, 1n)]);
    expect(moved.data).toEqual({ subjectId: SUBJECT, registeredAt: expect.any(String), curp: null, fullName: null, personalData: 'erased' });
  });

  it('after erasure reads every person event of the subject as erased, also from another instance with a cold cache', async () => {
    const store = new InMemoryKeyStore();
    const vault = new PersonalDataVault(store, MASTER);
    const { stored } = await sealedRegistration(vault);
    await vault.erase(SUBJECT);
    const [erased] = await vault.open([recorded('PersonRegistered', stored, 0n)]);
    expect(erased.data).toMatchObject({ curp: null, fullName: null, personalData: 'erased' });
    const [other] = await new PersonalDataVault(store, MASTER).open([recorded('PersonRegistered', stored, 0n)]);
    expect(other.data).toEqual(erased.data);
    await expect(vault.seal(STREAM, [{ type: 'PersonalDataRectified', data: { subjectId: SUBJECT, fullName: 'X', rectifiedAt: '' }, revision: 3n }])).rejects.toBeInstanceOf(
      SubjectErasedError,
    );
    expect(JSON.stringify([...store.records.values()])).not.toContain('wrappedKey');
  });

  it('treats an erasure in the same batch as true of the stream, and plaintext events of an erased subject as erased', async () => {
    const store = new InMemoryKeyStore();
    const vault = new PersonalDataVault(store, MASTER);
    const { stored } = await sealedRegistration(vault);
    const batch = [recorded('PersonRegistered', stored, 0n), recorded('PersonalDataErased', { subjectId: SUBJECT }, 1n)];
    expect((await vault.open(batch))[0].data).toMatchObject({ fullName: null, personalData: 'erased' });

    const legacy = `person-${'c'.repeat(64)}`;
    const plain = recorded('PersonRegistered', { subjectId: 'c'.repeat(64), curp: CURP, fullName: NAME, registeredAt: '' }, 0n, legacy);
    expect((await vault.open([plain]))[0].data).toEqual(plain.data);
    await vault.erase('c'.repeat(64));
    expect((await vault.open([plain]))[0].data).toMatchObject({ curp: null, fullName: null, personalData: 'erased' });
  });

  it('fetches keys once per batch and then from its cache, for a bounded time', async () => {
    let now = 0;
    const store = new InMemoryKeyStore();
    const vault = new PersonalDataVault(store, MASTER, { cacheTtlMs: 1_000, now: () => now });
    const { stored } = await sealedRegistration(vault);
    const reader = new PersonalDataVault(store, MASTER, { cacheTtlMs: 1_000, now: () => now });
    const events = Array.from({ length: 50 }, () => recorded('PersonRegistered', stored, 0n));
    store.lookups = 0;
    await reader.open(events);
    await reader.open(events);
    expect(store.lookups).toBe(1);
    now = 1_001;
    await reader.open(events);
    expect(store.lookups).toBe(2);
  });

  it('refuses a master key other than the one the keys were wrapped with', async () => {
    const store = new InMemoryKeyStore();
    const { stored } = await sealedRegistration(new PersonalDataVault(store, MASTER));
    const wrong = new PersonalDataVault(store, `${MASTER}-wrong`);
    await expect(wrong.assertMasterKey()).rejects.toBeInstanceOf(MasterKeyMismatchError);
    await expect(wrong.open([recorded('PersonRegistered', stored, 0n)])).rejects.toBeInstanceOf(MasterKeyMismatchError);
    await expect(new PersonalDataVault(store, MASTER).assertMasterKey()).resolves.toBeUndefined();
  });

  it('reads garbage where a sealed value should be as erased', async () => {
    const vault = new PersonalDataVault(new InMemoryKeyStore(), MASTER);
    const { stored } = await sealedRegistration(vault);
    const sealed = stored.personalData as SealedPersonalData;
    for (const bad of [{ ...sealed, iv: 'x' }, { ...sealed, ciphertext: '' }, { ...sealed, keyId: 'other' }]) {
      const [opened] = await vault.open([recorded('PersonRegistered', { ...stored, personalData: bad }, 0n)]);
      expect(opened.data).toMatchObject({ fullName: null, personalData: 'erased' });
    }
  });
});
