import type { ClientBase, QueryResult } from 'pg';
import type { Statement } from './sql';

/**
 * Runs statements on one connection one after the other, without the caller
 * waiting for each: the runner queues a projection's writes and folds the next
 * projection while PostgreSQL executes them. (pg's own queue does this too,
 * but is deprecated for concurrent callers.)
 */
export class QueryQueue {
  private tail: Promise<unknown> = Promise.resolve();

  constructor(private readonly client: ClientBase) {}

  query<R extends Record<string, unknown> = Record<string, unknown>>(statement: Statement): Promise<QueryResult<R>> {
    const result = this.tail.then(() => this.client.query<R>(statement.text, statement.values));
    this.tail = result.catch(() => undefined);
    return result;
  }
}
