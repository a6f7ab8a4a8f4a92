// First: tracing patches http and pg as they load (nothing happens without an OTLP endpoint).
import { startTracing } from '../platform/tracing/tracing';
const tracing = startTracing();
import 'reflect-metadata';
import { Presets, SingleBar } from 'cli-progress';
import { ConfigurationError, loadLedgerConfig } from '@ledger/platform';
import { CertificationImport } from '../commands/import/certification-import';
import { createLedgerApp } from '../ledger-app';
import { sendLogsToStderr } from '../platform/logging/logging.options';
import { checkImportFile, importCertificationsFile } from './import-file';
import { TaskRefused } from './task-refused';
import { exitWithParent } from './lifeline';

/** Exit code of an import that completed but refused some rows (their reasons are in the rejects file). */
export const ROWS_REJECTED_EXIT_CODE = 2;

/**
 * The import of historical certifications as a task of the ledger app: the
 * ledger's command handlers in this process, with the configuration and data
 * folder `npm start` has, and no HTTP server. `ledger import certifications`
 * (apps/cli) runs it as a child process:
 *
 *   import-task <file> --rejects <file> --concurrency <n>
 *
 * Prints the summary (JSON, no personal data) on stdout; exit 0 when every
 * row was imported, 2 when some were refused, 1 when the import could not run
 * or stopped (run it again: rows already imported are not written twice).
 */
async function main(argv: readonly string[]): Promise<void> {
  const [file, ...rest] = argv;
  const option = (name: string) => {
    const at = rest.indexOf(`--${name}`);
    return at >= 0 ? rest[at + 1] : undefined;
  };
  const concurrency = Number(option('concurrency') ?? '32');
  if (!file || !Number.isSafeInteger(concurrency) || concurrency < 1 || concurrency > 256) throw new TaskRefused('usage: import-task <file> [--rejects <file>] [--concurrency 1-256]');
  const config = loadLedgerConfig();
  await checkImportFile(file);
  // stdout carries the summary alone.
  sendLogsToStderr();
  // Request logs would drown the progress bar; warnings and errors still show.
  const app = await createLedgerApp({ ...config, port: 0, logLevel: 'warn' });
  await app.init();
  const bar = new SingleBar({ format: 'import |{bar}| {percentage}% {rows} rows', etaBuffer: 200, stream: process.stderr }, Presets.shades_classic);
  bar.start(1, 0, { rows: 0 });
  try {
    const summary = await importCertificationsFile(app.get(CertificationImport), file, {
      rejectsFile: option('rejects') ?? `${file}.rejects.csv`,
      concurrency,
      onProgress: (bytes, total, rows) => {
        bar.setTotal(Math.max(total, 1));
        bar.update(bytes, { rows });
      },
    });
    bar.stop();
    process.stdout.write(`${JSON.stringify(summary, null, 2)}\n`);
    if (summary.rejected > 0) process.exitCode = ROWS_REJECTED_EXIT_CODE;
  } finally {
    bar.stop();
    await app.close();
    await tracing?.shutdown();
  }
}

exitWithParent();
main(process.argv.slice(2)).catch((error: unknown) => {
  const message = error instanceof ConfigurationError || error instanceof TaskRefused ? error.message : error instanceof Error ? (error.stack ?? error.message) : String(error);
  process.stderr.write(`ledger: ${message}\n`);
  process.exit(1);
});
