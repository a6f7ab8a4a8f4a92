import { Inject, Injectable } from '@nestjs/common';
import type { Pool, PoolClient } from 'pg';
import { PG_POOL } from '../config/config.tokens';
import { ProblemException } from '../errors/problem.exception';

export interface IdempotentRequest {
  /** Who sent it: keys are per caller, so two callers can never collide. */
  scope: string;
  key: string;
  fingerprint: string;
  commandId: string;
}

export interface StoredResponse {
  statusCode: number;
  body: unknown;
}

/** How long a duplicate waits for the first request with its key to finish. */
const WAIT_FOR_FIRST_MS = 30_000;
/** PostgreSQL's lock_not_available, raised when lock_timeout expires. */
const LOCK_NOT_AVAILABLE = '55P03';

/**
 * Records the first successful response per (caller, Idempotency-Key) in
 * `ledger.idempotency_keys`. The row is inserted at the start of a
 * transaction that stays open while the command runs and commits with the
 * response, so:
 * - a concurrent duplicate blocks on the row until the first finishes, then replays it;
 * - a failed command (an error answer) rolls back and leaves the key free for a retry;
 * - a crash rolls back too: no half-finished marker ever outlives its process,
 *   and the retry runs the command again with the same command id, whose
 *   deterministic event ids the store deduplicates.
 */
@Injectable()
export class IdempotencyStore {
  constructor(@Inject(PG_POOL) private readonly pool: Pool) {}

  async runOnce(request: IdempotentRequest, execute: () => Promise<StoredResponse>): Promise<StoredResponse & { replayed: boolean }> {
    const client = await this.pool.connect();
    let released = false;
    try {
      await client.query('BEGIN');
      await client.query(`SET LOCAL lock_timeout = '${WAIT_FOR_FIRST_MS}ms'`);
      if (await this.claim(client, request)) {
        const response = await execute();
        await client.query(
          'UPDATE ledger.idempotency_keys SET status_code = $3, response_body = $4 WHERE scope = $1 AND key = $2',
          [request.scope, request.key, response.statusCode, JSON.stringify(response.body)],
        );
        await client.query('COMMIT');
        return { ...response, replayed: false };
      }
      const stored = await this.storedResponse(client, request);
      await client.query('COMMIT');
      return { ...stored, replayed: true };
    } catch (error) {
      released = await this.rollback(client, error);
      throw translateLockTimeout(error);
    } finally {
      if (!released) client.release();
    }
  }

  /** True when this request inserted the key; false when a completed request holds it. Blocks while another one runs. */
  private async claim(client: PoolClient, request: IdempotentRequest): Promise<boolean> {
    const { rowCount } = await client.query(
      `INSERT INTO ledger.idempotency_keys (scope, key, request_fingerprint, command_id, status_code, response_body)
       VALUES ($1, $2, $3, $4, 0, '') ON CONFLICT (scope, key) DO NOTHING`,
      [request.scope, request.key, request.fingerprint, request.commandId],
    );
    return rowCount === 1;
  }

  private async storedResponse(client: PoolClient, request: IdempotentRequest): Promise<StoredResponse> {
    const { rows } = await client.query<{ request_fingerprint: string; status_code: number; response_body: string }>(
      'SELECT request_fingerprint, status_code, response_body FROM ledger.idempotency_keys WHERE scope = $1 AND key = $2',
      [request.scope, request.key],
    );
    const row = rows[0];
    if (!row) throw new Error('idempotency key vanished between insert and select');
    if (row.request_fingerprint !== request.fingerprint) {
      throw new ProblemException(409, 'IDEMPOTENCY_KEY_REUSED', 'This Idempotency-Key was already used with another request');
    }
    return { statusCode: row.status_code, body: JSON.parse(row.response_body) };
  }

  /** Rolls back; a connection that cannot even roll back is destroyed instead of returned to the pool. Returns true when released. */
  private async rollback(client: PoolClient, cause: unknown): Promise<boolean> {
    try {
      await client.query('ROLLBACK');
      return false;
    } catch {
      client.release(cause instanceof Error ? cause : new Error(String(cause)));
      return true;
    }
  }
}

function translateLockTimeout(error: unknown): unknown {
  if ((error as { code?: string }).code === LOCK_NOT_AVAILABLE) {
    return new ProblemException(409, 'IDEMPOTENCY_KEY_IN_PROGRESS', 'A request with this Idempotency-Key is still running; retry later', undefined, {
      'Retry-After': '1',
    });
  }
  return error;
}
