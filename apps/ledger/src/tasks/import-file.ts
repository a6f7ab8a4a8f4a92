import { createHash } from 'node:crypto';
import { createReadStream, createWriteStream, rmSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { finished } from 'node:stream/promises';
import { parse, type Info } from 'csv-parse';
import { stringify } from 'csv-stringify';
import { CertificationImport, type ImportRecord, type RowOutcome } from '../commands/import/certification-import';
import { headerProblems } from '../commands/import/import-row';
import { TaskRefused } from './task-refused';

/**
 * Columns a rejects file adds to the input's: why each row was refused. The
 * import ignores them, so a rejects file, corrected, is imported as it is.
 */
export const REJECTION_COLUMNS = ['rejected_line', 'rejected_step', 'rejected_column', 'rejected_code', 'rejected_reason'] as const;
const REJECTION_PREFIX = 'rejected_';
/** A record longer than this is not a certification: the parser stops there rather than buffer it. */
const MAX_RECORD_BYTES = 64 * 1024;

export interface ImportSummary {
  /** The run's id: every event it wrote carries it (metadata.correlationId, and importRun where the events hold one). */
  readonly run: string;
  readonly file: { readonly sha256: string; readonly bytes: number };
  readonly rows: number;
  readonly accepted: number;
  readonly rejected: number;
  /** The file of rejected rows, when there were any. */
  readonly rejects?: string;
  readonly seconds: number;
}

export interface ImportFileOptions {
  readonly rejectsFile: string;
  readonly concurrency: number;
  /** Bytes of the file read so far, and its size: for a progress bar. */
  readonly onProgress?: (bytes: number, total: number, rows: number) => void;
}

/**
 * Imports a CSV file of historical certifications (import-row.ts has the
 * columns) and writes the rows it refused, with their reasons, to
 * `rejectsFile` (mode 0600: the rows hold personal data), only when it
 * refused one (a rejects file of an earlier run is removed first). The same
 * file imported again writes nothing new.
 */
export async function importCertificationsFile(importer: CertificationImport, file: string, options: ImportFileOptions): Promise<ImportSummary> {
  const started = performance.now();
  const bytes = fileSize(file);
  if (resolve(options.rejectsFile) === resolve(file)) throw new TaskRefused('the rejects file must not be the file imported');
  rmSync(options.rejectsFile, { force: true });
  const sha256 = await sha256Of(file);
  const run = CertificationImport.runIdOf(sha256);
  let header: string[] = [];
  const parser = createReadStream(file).pipe(
    parse({
      bom: true,
      columns: (names: string[]) => {
        header = names.map((name) => name.trim());
        checkHeader(file, header);
        return header;
      },
      skip_empty_lines: true,
      max_record_size: MAX_RECORD_BYTES,
      info: true,
    }),
  );
  let rejects: ReturnType<typeof stringify> | undefined;
  let rejectsDone: Promise<void> | undefined;
  const cellsOf = new Map<number, Record<string, string>>();
  let rows = 0;
  let accepted = 0;
  let rejected = 0;
  let lastInfo: Info | undefined;
  async function* records(): AsyncGenerator<ImportRecord> {
    try {
      for await (const { record, info } of parser as AsyncIterable<{ record: Record<string, string>; info: Info }>) {
        rows += 1;
        lastInfo = info;
        const line = info.lines;
        const cells = Object.fromEntries(Object.entries(record).filter(([name]) => !isRejectionColumn(name)));
        cellsOf.set(line, cells);
        yield { line, cells };
      }
    } catch (error) {
      if (error instanceof TaskRefused) throw error;
      const at = lastInfo ? ` after line ${lastInfo.lines}` : '';
      throw new TaskRefused(`${file}: not a CSV file the import can read${at}: ${printable((error as Error).message)}`);
    }
  }
  const onRow = (outcome: RowOutcome) => {
    const cells = cellsOf.get(outcome.line) ?? {};
    cellsOf.delete(outcome.line);
    if (outcome.accepted) accepted += 1;
    else {
      rejected += 1;
      if (!rejects) {
        const columns = [...header.filter((name) => !isRejectionColumn(name)), ...REJECTION_COLUMNS];
        rejects = stringify({ header: true, columns });
        const out = createWriteStream(options.rejectsFile, { mode: 0o600 });
        rejects.pipe(out);
        rejectsDone = finished(out);
      }
      const reason = outcome.problems.map((problem) => problem.message).join('; ');
      rejects.write({
        ...cells,
        rejected_line: String(outcome.line),
        rejected_step: outcome.step,
        rejected_column: outcome.problems.map((problem) => problem.column ?? '').join(';'),
        rejected_code: outcome.problems.map((problem) => problem.code).join(';'),
        rejected_reason: reason,
      });
    }
    options.onProgress?.(lastInfo?.bytes ?? 0, bytes, rows);
  };
  try {
    await importer.importRecords(records(), { runId: run, concurrency: options.concurrency, onRow });
  } finally {
    const open = rejects as ReturnType<typeof stringify> | undefined;
    open?.end();
    await rejectsDone;
  }
  options.onProgress?.(bytes, bytes, rows);
  return {
    run,
    file: { sha256, bytes },
    rows,
    accepted,
    rejected,
    ...(rejected > 0 ? { rejects: options.rejectsFile } : {}),
    seconds: Math.round((performance.now() - started) / 100) / 10,
  };
}

/**
 * Fails fast, before the ledger starts, on a file the import cannot use: not
 * there, not a file, or a header that lacks, repeats or does not know a column.
 */
export async function checkImportFile(file: string): Promise<void> {
  fileSize(file);
  const parser = createReadStream(file).pipe(parse({ bom: true, to_line: 1, max_record_size: MAX_RECORD_BYTES }));
  try {
    for await (const names of parser as AsyncIterable<string[]>) return checkHeader(file, names.map((name) => name.trim()));
    throw new TaskRefused(`${file} is empty: the first line names the columns`);
  } catch (error) {
    if (error instanceof TaskRefused) throw error;
    throw new TaskRefused(`${file}: not a CSV file the import can read: ${printable((error as Error).message)}`);
  }
}

/** Throws an operator's error naming each problem of the header (its `rejected_*` columns aside). */
function checkHeader(file: string, header: readonly string[]): void {
  const problems = headerProblems(header.filter((name) => !isRejectionColumn(name)));
  if (problems.length > 0) throw new TaskRefused(`${file}: ${problems.map((p) => `${p.column}: ${p.message}`).join('; ')}`);
}

function isRejectionColumn(name: string): boolean {
  return name.startsWith(REJECTION_PREFIX);
}

/** A message that may quote the file, safe to print on a terminal: control and bidirectional characters replaced. */
function printable(text: string): string {
  return text.replace(/[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g, '\uFFFD');
}

function fileSize(file: string): number {
  try {
    const stat = statSync(file);
    if (!stat.isFile()) throw new TaskRefused(`${file} is not a file`);
    return stat.size;
  } catch (error) {
    if (error instanceof TaskRefused) throw error;
    throw new TaskRefused(`cannot read ${file}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
  }
}

async function sha256Of(file: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(file)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}
