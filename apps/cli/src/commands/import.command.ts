import { InvalidArgumentError, type Command } from 'commander';
import { Presets, SingleBar } from 'cli-progress';
import { cliContext } from '../cli-context';
import type * as LedgerApp from '../../../ledger/src/ledger-app';
import type * as LoggingOptions from '../../../ledger/src/platform/logging/logging.options';
import type * as ImportFile from '../import/import-file';
import type { CertificationImport as CertificationImportType } from '../../../ledger/src/commands/import/certification-import';
import type { CliCommand } from './cli-command';

interface ImportOptions {
  rejects?: string;
  concurrency: number;
}

/** Exit code of an import that completed but refused some rows (their reasons are in the rejects file). */
export const ROWS_REJECTED_EXIT_CODE = 2;

function concurrencyOf(text: string): number {
  const value = Number(text);
  if (!Number.isSafeInteger(value) || value < 1 || value > 256) throw new InvalidArgumentError('expected a whole number from 1 to 256');
  return value;
}

/**
 * `ledger import certifications FILE.csv [--rejects FILE] [--concurrency N]`:
 * historical certifications from a CSV file (README "Import certifications"),
 * through the command handlers in this process, with the same configuration
 * and data folder as `npm start`. Prints a summary (JSON, no personal data);
 * exit 0 when every row was imported, 2 when some were refused (see the
 * rejects file), 1 when the import could not run or stopped (run it again:
 * rows already imported are not written twice).
 */
export const importCommand: CliCommand = {
  register(program: Command): void {
    program
      .command('import')
      .description('Import historical certifications from a CSV file, through the domain rules')
      .argument('<kind>', 'what the file holds: certifications')
      .argument('<file>', 'the CSV file (UTF-8, a header row naming the columns)')
      .option('--rejects <file>', 'where to write the rows refused, with their reasons (default: FILE.rejects.csv)')
      .option('--concurrency <n>', 'rows imported at once', concurrencyOf, 32)
      .action(async (kind: string, file: string, options: ImportOptions) => {
        if (kind !== 'certifications') throw new InvalidArgumentError(`unknown kind "${kind}"; known: certifications`);
        await importCertifications(file, options);
      });
  },
};

async function importCertifications(file: string, options: ImportOptions): Promise<void> {
  const { config } = cliContext();
  // Loaded only here: the other subcommands need no NestJS application.
  /* eslint-disable @typescript-eslint/no-require-imports */
  const { createLedgerApp } = require('../../../ledger/src/ledger-app') as typeof LedgerApp;
  const { sendLogsToStderr } = require('../../../ledger/src/platform/logging/logging.options') as typeof LoggingOptions;
  const { checkImportFile, importCertificationsFile } = require('../import/import-file') as typeof ImportFile;
  const { CertificationImport } = require('../../../ledger/src/commands/import/certification-import') as {
    CertificationImport: typeof CertificationImportType;
  };
  /* eslint-enable @typescript-eslint/no-require-imports */
  await checkImportFile(file);
  // stdout carries the summary alone.
  sendLogsToStderr();
  // Request logs would drown the progress bar; warnings and errors still show.
  const app = await createLedgerApp({ ...config, port: 0, logLevel: 'warn' });
  await app.init();
  const bar = new SingleBar({ format: 'import |{bar}| {percentage}% {rows} rows', etaBuffer: 200 }, Presets.shades_classic);
  bar.start(1, 0, { rows: 0 });
  try {
    const summary = await importCertificationsFile(app.get(CertificationImport), file, {
      rejectsFile: options.rejects ?? `${file}.rejects.csv`,
      concurrency: options.concurrency,
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
  }
}
