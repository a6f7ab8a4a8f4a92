import { createWriteStream } from 'node:fs';
import type { Command } from 'commander';
import { Option } from 'commander';
import type { DataSource } from 'typeorm';
import {
  CERTIFICATE_STATUSES,
  createReadModelDataSource,
  renderTransparencyCsv,
  renderTransparencyJson,
  runReadModelMigrations,
  TransparencyReports,
  type CertificateFilters,
  type CertificateStatus,
} from '@ledger/read-models';
import { withLedgerDatabase } from '../cli-context';
import { OperatorError, type CliCommand } from './cli-command';

interface ReportOptions {
  asOf: string;
  atPosition?: string;
  format: 'json' | 'csv';
  out?: string;
  standard?: string;
  state?: string;
  municipality?: string;
  agency?: string;
  provider?: string;
  evaluator?: string;
  employment?: string;
  status?: CertificateStatus;
  issuedFrom?: string;
  issuedTo?: string;
}

/**
 * `ledger report transparency --as-of 2018-11-13 [--at-position N] [--format csv] [--out file]`:
 * the transparency report of `GET /v1/reports/transparency`, byte for byte,
 * read from the database directly. The position it was computed at goes to
 * stderr, so the same report can be asked for again.
 */
export const reportCommand: CliCommand = {
  register(program: Command): void {
    program
      .command('report')
      .argument('<kind>', 'transparency')
      .description('Write a transparency report (JSON or CSV, UTF-8) as of a business date and a log position')
      .requiredOption('--as-of <date>', 'business date (YYYY-MM-DD) or instant the report describes')
      .option('--at-position <n>', 'only what the ledger knew at this position (default: as far as the read models have got)')
      .addOption(new Option('--format <format>', 'output format').choices(['json', 'csv']).default('json'))
      .option('--out <file>', 'write to this file instead of stdout')
      .option('--standard <code>')
      .option('--state <code>')
      .option('--municipality <name>')
      .option('--agency <name>')
      .option('--provider <id>')
      .option('--evaluator <id>')
      .option('--employment <type>')
      .addOption(new Option('--status <status>').choices(CERTIFICATE_STATUSES as string[]))
      .option('--issued-from <date>')
      .option('--issued-to <date>')
      .action(async (kind: string, options: ReportOptions) => {
        if (kind !== 'transparency') throw new OperatorError(`Unknown report "${kind}"; the one report is: transparency`);
        if (options.atPosition !== undefined && !/^\d{1,20}$/.test(options.atPosition)) throw new OperatorError('--at-position must be a decimal integer');
        await withLedgerDatabase(async (database) => {
          await runReadModelMigrations(database.url);
          const dataSource = await createReadModelDataSource(database.url, 2).initialize();
          try {
            await writeReport(dataSource, options);
          } finally {
            await dataSource.destroy();
          }
        });
      });
  },
};

async function writeReport(dataSource: DataSource, options: ReportOptions): Promise<void> {
  const reports = new TransparencyReports(dataSource, async (position) => {
    throw new OperatorError(`The read models have not reached position ${position} yet; run the projector (or the ledger) and try again`);
  });
  const report = await reports.prepare({
    asOf: options.asOf,
    atPosition: options.atPosition === undefined ? undefined : BigInt(options.atPosition),
    filters: filtersOf(options),
  });
  const file = options.out ? createWriteStream(options.out, { encoding: 'utf8' }) : undefined;
  const out: NodeJS.WritableStream = file ?? process.stdout;
  for await (const piece of options.format === 'csv' ? renderTransparencyCsv(report) : renderTransparencyJson(report)) {
    if (!out.write(piece)) await new Promise((resolve) => out.once('drain', resolve));
  }
  if (file) await new Promise<void>((resolve, reject) => file.end(() => resolve()).once('error', reject));
  process.stderr.write(`transparency report as of ${report.asOf} at position ${report.position}: ${report.totals.valid} valid, ${report.totals.revoked} revoked, ${report.totals.expired} expired\n`);
}

function filtersOf(options: ReportOptions): CertificateFilters {
  return {
    standard: options.standard,
    state: options.state,
    municipality: options.municipality,
    agency: options.agency,
    providerId: options.provider,
    evaluatorId: options.evaluator,
    employment: options.employment,
    status: options.status,
    issuedFrom: options.issuedFrom,
    issuedTo: options.issuedTo,
  };
}
