import { Pool, PoolClient } from 'pg';

/**
 * Runs `work` in one READ COMMITTED transaction on a pooled connection. The
 * level is explicit because the append path needs a fresh snapshot per
 * statement, whatever the database's default isolation is.
 */
export async function inTransaction<T>(pool: Pool, work: (client: PoolClient) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  let broken = false;
  try {
    await client.query('BEGIN ISOLATION LEVEL READ COMMITTED');
    const result = await work(client);
    await client.query('COMMIT');
    return result;
  } catch (error) {
    // A connection that cannot even roll back is in an unknown state: close it rather than pool it.
    broken = await client.query('ROLLBACK').then(
      () => false,
      () => true,
    );
    throw error;
  } finally {
    client.release(broken);
  }
}
