import type { DataSource } from 'typeorm';
import { queryPrepared } from './read-position';

/** A DataSource with TypeORM's query and the driver's pg pool, each recording what it ran. */
function recordingDataSource() {
  const named: { name: string; text: string; values: unknown[] }[] = [];
  const unnamed: string[] = [];
  const dataSource = {
    query: async (text: string) => {
      unnamed.push(text);
      return [{ via: 'typeorm' }];
    },
    driver: {
      master: {
        query: async (config: { name: string; text: string; values: unknown[] }) => {
          named.push(config);
          return { rows: [{ via: 'pool' }] };
        },
      },
    },
  } as unknown as DataSource;
  return { dataSource, named, unnamed };
}

describe('queryPrepared', () => {
  it('names a text after itself, the same name every time and another for another text, up to 64 texts; any other runs unnamed', async () => {
    const { dataSource, named, unnamed } = recordingDataSource();
    expect(await queryPrepared(dataSource, 'SELECT $1::text AS shape_a', ['x'])).toEqual([{ via: 'pool' }]);
    await queryPrepared(dataSource, 'SELECT $1::text AS shape_a', ['y']);
    await queryPrepared(dataSource, 'SELECT $1::text AS shape_b', ['z']);
    expect(named.map(({ values }) => values)).toEqual([['x'], ['y'], ['z']]);
    expect(named[0].name).toMatch(/^ledger_[0-9a-f]{32}$/);
    expect(named[1].name).toBe(named[0].name);
    expect(named[2].name).not.toBe(named[0].name);

    for (let shape = 0; shape < 62; shape += 1) await queryPrepared(dataSource, `SELECT ${shape} AS shape`, []);
    expect(new Set(named.map(({ name }) => name)).size).toBe(64);
    expect(unnamed).toEqual([]);
    expect(await queryPrepared(dataSource, 'SELECT 65 AS one_too_many', [])).toEqual([{ via: 'typeorm' }]);
    expect(unnamed).toEqual(['SELECT 65 AS one_too_many']);
    // The texts named before are still named.
    await queryPrepared(dataSource, 'SELECT $1::text AS shape_a', ['again']);
    expect(named[named.length - 1]).toMatchObject({ name: named[0].name, values: ['again'] });
  });
});
