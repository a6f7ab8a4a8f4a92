import type { ClientBase, QueryResult, QueryResultRow } from 'pg';
import type { CopyFromStdin } from './copy-from';
import type { Statement } from './sql';

/** What the runner's SQL helpers need: a pg client, a pool, or a QueryQueue. */
export interface Queryable {
  query<R extends QueryResultRow = QueryResultRow>(text: string, values?: unknown[]): Promise<QueryResult<R>>;
}

/**
 * Runs statements on one connection one after the other, without the caller
 * waiting for each: the runner queues a projection's writes and folds the next
 * projection while PostgreSQL executes them. Everything a worker sends goes
 * through here, so a ROLLBACK can never overtake a write queued before it.
 * (pg's own queue does this too, but is deprecated for concurrent callers.)
 */
export class QueryQueue implements Queryable {
  private tail: Promise<unknown> = Promise.resolve();

  constructor(private readonly client: ClientBase) {}

  query<R extends QueryResultRow = QueryResultRow>(text: string | Statement, values?: unknown[]): Promise<QueryResult<R>> {
    const statement = typeof text === 'string' ? { text, values: values ?? [] } : text;
    return this.enqueue(() => this.client.query<R>(statement.text, statement.values));
  }

  /** A statement without parameters, or a COPY. */
  run(write: string | CopyFromStdin): Promise<unknown> {
    if (typeof write === 'string') return this.enqueue(() => this.client.query(write));
    return this.enqueue(
      () =>
        new Promise((resolve, reject) => {
          write.callback = (error, result) => (error ? reject(error) : resolve(result));
          this.client.query(write as never);
        }),
    );
  }

  private enqueue<T>(run: () => Promise<T>): Promise<T> {
    const result = this.tail.then(run);
    this.tail = result.catch(() => undefined);
    return result;
  }
}
