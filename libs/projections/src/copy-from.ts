import type { ColumnType, Row, TableDefinition, Value } from './projection';
import { columnsOf } from './sql';
import { storedText } from './storable-value';

/**
 * `COPY … FROM STDIN` on a pg connection, without a streaming dependency: pg
 * accepts any object with a `submit(connection)` method as a query and hands
 * it the protocol messages. The whole payload is built in memory (a batch is
 * bounded) and sent in chunks as soon as the server asks for it. COPY parses
 * rows several times faster than `unnest` over array parameters, which is
 * what makes it the way append-only rows (most rows of a rebuild) are written.
 */
export class CopyFromStdin {
  callback?: (error: Error | null, result?: { rowCount: number }) => void;
  private rowCount = 0;

  constructor(
    readonly text: string,
    private readonly payload: Buffer,
  ) {}

  submit(connection: CopyConnection): void {
    connection.query(this.text);
  }

  handleCopyInResponse(connection: CopyConnection): void {
    for (let offset = 0; offset < this.payload.length; offset += CHUNK_BYTES) {
      connection.sendCopyFromChunk(this.payload.subarray(offset, offset + CHUNK_BYTES));
    }
    connection.endCopyFrom();
  }

  handleCommandComplete(message: { text?: string }): void {
    this.rowCount = Number(/COPY (\d+)/.exec(message.text ?? '')?.[1] ?? 0);
  }

  /**
   * Settles at once: when the connection is lost (or was already broken) pg
   * reports it here and no ReadyForQuery ever follows, so waiting for one would
   * hang the writer forever. After a server-side error pg itself holds the next
   * statement back until the server is ready again.
   */
  handleError(error: Error): void {
    this.settle(error);
  }

  /** The server is done with the statement. */
  handleReadyForQuery(): void {
    this.settle(null);
  }

  /** Exactly once, whichever comes first. */
  private settle(error: Error | null): void {
    const callback = this.callback;
    this.callback = undefined;
    callback?.(error, error ? undefined : { rowCount: this.rowCount });
  }

  handleRowDescription(): void {}
  handleDataRow(): void {}
  handleEmptyQuery(): void {}
  handlePortalSuspended(): void {}
  handleCopyData(): void {}
}

/** What CopyFromStdin needs of pg's (untyped) Connection. */
interface CopyConnection {
  query(text: string): void;
  sendCopyFromChunk(chunk: Buffer): void;
  endCopyFrom(): void;
}

const CHUNK_BYTES = 1 << 20;

/**
 * Rows into `relation`, these columns of `table` only (all when omitted), in
 * COPY's text format: tab between columns, newline between rows, `\N` for
 * null, backslash escapes.
 */
export function copyRows(
  relation: string,
  table: TableDefinition,
  rows: readonly Row[],
  columns: readonly string[] = Object.keys(table.columns),
): CopyFromStdin {
  const typed = columns.map((column): [string, ColumnType] => [column, table.columns[column]]);
  const lines = new Array<string>(rows.length);
  for (let index = 0; index < rows.length; index += 1) {
    const row = rows[index];
    lines[index] = typed.map(([column, type]) => copyValue(type, row[column])).join('\t');
  }
  const text = `COPY ${relation} (${columnsOf(table, columns)}) FROM STDIN`;
  return new CopyFromStdin(text, Buffer.from(lines.join('\n') + '\n', 'utf8'));
}

const NEEDS_ESCAPE = /[\\\t\n\r]/;
const ESCAPES: Readonly<Record<string, string>> = { '\\': '\\\\', '\t': '\\t', '\n': '\\n', '\r': '\\r' };

function copyValue(type: ColumnType, given: Value | undefined): string {
  const text = storedText(type, given);
  if (text === null) return '\\N';
  // Hex has no character COPY escapes but the leading backslash.
  if (type === 'bytea') return `\\${text}`;
  return NEEDS_ESCAPE.test(text) ? text.replace(/[\\\t\n\r]/g, (c) => ESCAPES[c]) : text;
}
