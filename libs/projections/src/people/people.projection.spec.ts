import type { RecordedEvent } from '@ledger/event-store';
import { ERASED_NAME, PersonalDataVault } from '@ledger/personal-data';
import { InMemoryKeyStore } from '@ledger/personal-data/testing';
import { foldInMemory, recorded, tableWrites } from '../testing/recorded';
import { peopleProjection } from './people.projection';

const MASTER = 'the-master-key-of-this-test-ledger-0123456789';
const SUBJECT = 'f'.repeat(64);
const STREAM = `person-${SUBJECT}`;
const REGISTERED = { subjectId: SUBJECT, curp: 'GODE561231HDFRRN09', fullName: 'Ernesto Godínez', registeredAt: '2018-10-01T15:00:00.000Z' };
const RECTIFIED = { subjectId: SUBJECT, fullName: 'Ernesto Godínez Ruiz', reason: 'Acta', rectifiedAt: '2019-10-01T15:00:00.000Z' };
const ERASED = { subjectId: SUBJECT, requestFolio: 'UT/ARCO/1', reason: 'Cancelación', erasedAt: '2020-01-01T00:00:00.000Z' };

async function sealedLog(vault: PersonalDataVault): Promise<RecordedEvent[]> {
  const [registered, rectified] = await vault.seal(STREAM, [
    { type: 'PersonRegistered', data: REGISTERED, revision: 0n },
    { type: 'PersonalDataRectified', data: RECTIFIED, revision: 1n },
  ]);
  return [
    { ...recorded(10, STREAM, 'PersonRegistered', registered as object), revision: 0n },
    { ...recorded(11, STREAM, 'PersonalDataRectified', rectified as object), revision: 1n },
  ];
}

const names = (events: RecordedEvent[]) =>
  tableWrites(foldInMemory(peopleProjection, events), 'holder_names').puts.map((row) => [row.position, row.full_name, row.erased]);

describe('people projection', () => {
  it('folds names opened by the vault, and plaintext names written before encryption', async () => {
    const vault = new PersonalDataVault(new InMemoryKeyStore(), MASTER);
    const log = await sealedLog(vault);
    expect(JSON.stringify(log.map((event) => event.data))).not.toContain('Godínez');
    expect(names(await vault.open(log))).toEqual([
      ['10', 'Ernesto Godínez', false],
      ['11', 'Ernesto Godínez Ruiz', false],
    ]);
    expect(names([recorded(5, 'person-s1', 'PersonRegistered', { ...REGISTERED, subjectId: 's1' })])).toEqual([['5', 'Ernesto Godínez', false]]);
  });

  it('purges every name of an erased person, and a rebuild once the key is gone shows the same', async () => {
    const store = new InMemoryKeyStore();
    const vault = new PersonalDataVault(store, MASTER);
    const log = [...(await sealedLog(vault)), { ...recorded(12, STREAM, 'PersonalDataErased', ERASED), revision: 2n }];
    const live = foldInMemory(peopleProjection, (await vault.open(log.slice(0, 2))));
    const afterErasure = foldInMemory(peopleProjection, [log[2]], { holder_names: tableWrites(live, 'holder_names').puts, people_subjects: tableWrites(live, 'people_subjects').puts });
    const purged = tableWrites(afterErasure, 'holder_names');
    expect([...purged.puts, ...purged.patches.map((p) => ({ ...p.key, ...p.set }))].map((row) => [row.position, row.full_name, row.erased]).sort()).toEqual([
      ['10', ERASED_NAME, true],
      ['11', ERASED_NAME, true],
    ]);

    await vault.erase(SUBJECT);
    const rebuilt = names(await new PersonalDataVault(store, MASTER).open(log));
    expect(rebuilt).toEqual([
      ['10', ERASED_NAME, true],
      ['11', ERASED_NAME, true],
    ]);
  });

  it('folds sealed names without a vault as erased, never as an error', async () => {
    const log = await sealedLog(new PersonalDataVault(new InMemoryKeyStore(), MASTER));
    expect(names(log)).toEqual([
      ['10', ERASED_NAME, true],
      ['11', ERASED_NAME, true],
    ]);
  });
});
