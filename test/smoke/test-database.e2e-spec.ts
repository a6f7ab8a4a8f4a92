import { Client } from 'pg';
import { createTestDatabase } from '../support/test-database';

describe('test PostgreSQL', () => {
  it('gives each suite its own durable database', async () => {
    const db = await createTestDatabase('smoke');
    const client = new Client({ connectionString: db.url });
    await client.connect();
    const { rows } = await client.query("select current_setting('fsync') as fsync, current_setting('synchronous_commit') as sc");
    await client.end();
    await db.drop();
    expect(rows[0]).toEqual({ fsync: 'on', sc: 'on' });
  });
});
