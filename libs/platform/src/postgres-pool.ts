import { Pool, type PoolConfig } from 'pg';

/**
 * A pg Pool whose connections can never crash the process. pg emits 'error'
 * on a client whose connection fails (the server restarting, crashing, or
 * terminating backends with 57P01): the pool listens on idle clients, but a
 * client checked out between two queries (a transaction under way, a
 * command holding its idempotency key) has no listener, and an 'error'
 * nobody listens to is thrown as an uncaught exception. Every client of
 * this pool gets a listener for its whole life; its queries still fail
 * with the error, and the pool replaces it on release.
 */
export function guardedPool(config: PoolConfig, onError: (error: Error) => void): Pool {
  const pool = new Pool(config);
  pool.on('error', onError);
  pool.on('connect', (client) => client.on('error', onError));
  return pool;
}
