import { InvalidArgumentError, type Command } from 'commander';
import { exitOf, startLedgerProcess } from '../ledger-process';
import type { CliCommand } from './cli-command';

interface ImportOptions {
  rejects?: string;
  concurrency: number;
}

function concurrencyOf(text: string): number {
  const value = Number(text);
  if (!Number.isSafeInteger(value) || value < 1 || value > 256) throw new InvalidArgumentError('expected a whole number from 1 to 256');
  return value;
}

/**
 * `ledger import certifications FILE.csv [--rejects FILE] [--concurrency N]`:
 * historical certifications from a CSV file (README "Import certifications"),
 * through the ledger's command handlers (its import task, started as a child
 * process), with the same configuration and data folder as `npm start`.
 * Prints a summary (JSON, no personal data); exit 0 when every row was imported, 2 when some were refused (see the
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
  // The import runs the ledger's command handlers: in the ledger app's own process (apps/ledger/src/tasks/import-task.ts).
  const args = [file, '--concurrency', String(options.concurrency), ...(options.rejects ? ['--rejects', options.rejects] : [])];
  process.exitCode = await exitOf(startLedgerProcess('tasks/import-task', args));
}
