import { BatchRows } from './batch-rows';
import { addTo, append, patch, put, type Projection } from './projection';

const projection: Projection = {
  name: 'spec',
  version: 1,
  eventTypes: [],
  tables: [
    { name: 'things', published: true, columns: { id: 'text', colour: 'text', size: 'integer' }, primaryKey: ['id'] },
    { name: 'log', published: true, columns: { position: 'bigint', text: 'text' }, primaryKey: ['position'] },
    { name: 'counts', published: true, columns: { colour: 'text', n: 'integer' }, primaryKey: ['colour'] },
  ],
  reads: () => [],
  fold: () => [],
};

describe('BatchRows: one batch of row changes, merged per key', () => {
  it('merges a put and later patches into one row to upsert', () => {
    const rows = new BatchRows(projection);
    rows.apply(put('things', { id: 'a', colour: 'red', size: 1 }));
    rows.apply(patch('things', { id: 'a' }, { size: 2 }));
    expect(rows.get('things', { id: 'a' })).toEqual({ id: 'a', colour: 'red', size: 2 });
    const things = rows.writes().find((w) => w.table.name === 'things')!;
    expect(things.puts).toEqual([{ id: 'a', colour: 'red', size: 2 }]);
    expect(things.patches).toEqual([]);
  });

  it('keeps patches of rows it never read as patches, merged', () => {
    const rows = new BatchRows(projection);
    rows.apply(patch('things', { id: 'b' }, { size: 3 }));
    rows.apply(patch('things', { id: 'b' }, { colour: 'blue' }));
    expect(rows.writes()[0].patches).toEqual([{ key: { id: 'b' }, set: { size: 3, colour: 'blue' } }]);
  });

  it('sums counter deltas per key', () => {
    const rows = new BatchRows(projection);
    rows.apply(addTo('counts', { colour: 'red' }, { n: 1 }));
    rows.apply(addTo('counts', { colour: 'red' }, { n: 1 }));
    rows.apply(addTo('counts', { colour: 'red' }, { n: -1 }));
    expect(rows.writes()[2].counters).toEqual([{ key: { colour: 'red' }, counters: { n: 1 } }]);
  });

  it('refuses to read a row nobody fetched, and to change an appended one', () => {
    const rows = new BatchRows(projection);
    expect(() => rows.get('things', { id: 'zz' })).toThrow(/never fetched/);
    rows.apply(append('log', { position: '1', text: 'x' }));
    expect(rows.get('log', { position: '1' })).toEqual({ position: '1', text: 'x' });
    expect(() => rows.apply(patch('log', { position: '1' }, { text: 'y' }))).toThrow(/appended/);
  });

  it('carries what the previous batch read and wrote, and applies its blind patches to rows fetched later', () => {
    const first = new BatchRows(projection);
    first.load('things', [{ id: 'a' }, { id: 'gone' }], [{ id: 'a', colour: 'red', size: 1 }]);
    first.apply(patch('things', { id: 'a' }, { size: 5 }));
    first.apply(patch('things', { id: 'c' }, { colour: 'green' }));
    const second = BatchRows.following(projection, first);
    expect(second.get('things', { id: 'a' })).toEqual({ id: 'a', colour: 'red', size: 5 });
    expect(second.get('things', { id: 'gone' })).toBeUndefined();
    expect([...second.missing([{ table: 'things', key: { id: 'c' } }, { table: 'things', key: { id: 'a' } }])]).toEqual([['things', [{ id: 'c' }]]]);
    second.load('things', [{ id: 'c' }], [{ id: 'c', colour: 'grey', size: 9 }]);
    expect(second.get('things', { id: 'c' })).toEqual({ id: 'c', colour: 'green', size: 9 });
    // Only one batch back: the third batch fetches again what the first left.
    const third = BatchRows.following(projection, new BatchRows(projection));
    expect(() => third.get('things', { id: 'a' })).toThrow(/never fetched/);
  });
});
