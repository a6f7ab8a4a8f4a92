import { Pool, type PoolConfig } from 'pg';

/** PostgreSQL ended an idle connection: a database dropped WITH (FORCE), a server shutting down or restarting. */
const TERMINATED = new Set(['57P01', '57P02', '57P03']);

/**
 * A pool for a test's own queries. pg emits an error on the pool when an
 * idle connection is ended by the server, and a pool without a listener
 * throws it: a suite whose database is dropped, or whose server is stopped,
 * as it finishes would fail on a connection it no longer uses. Those are
 * ignored (the pool opens a new connection if it is used again); any other
 * error on an idle connection still fails the test.
 */
export function testPool(config: PoolConfig): Pool {
  const pool = new Pool(config);
  pool.on('error', (error) => {
    if (!TERMINATED.has((error as { code?: string }).code ?? '')) throw error;
  });
  return pool;
}
