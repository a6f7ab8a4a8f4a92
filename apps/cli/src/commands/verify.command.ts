import type { Command } from 'commander';
import { Presets, SingleBar } from 'cli-progress';
import { describeFinding, verifyLog } from '@ledger/projections';
import { guardedPool, resolveLedgerSecrets } from '@ledger/platform';
import { parseSignerKey, verifierKeyOf } from '@ledger/verifiable-log';
import { withLedgerDatabase } from '../cli-context';
import { OperatorError, type CliCommand } from './cli-command';
import { openEventStore } from '@ledger/event-store';

/**
 * `ledger verify`: recomputes every leaf of the verifiable log from the
 * event store and holds it against the stored tree and every checkpoint the
 * ledger signed. Exit 0 when they agree; exit 1 naming the first position
 * where they do not, and how (changed, missing, extra, reordered).
 */
export const verifyCommand: CliCommand = {
  register(program: Command): void {
    program
      .command('verify')
      .description('Recompute the verifiable log from the event store and check it against the stored tree and every signed checkpoint')
      .option('--quiet', 'no progress bar')
      .action(async (options: { quiet?: boolean }) => {
        await withLedgerDatabase(async (database, { config }) => {
          const store = await openEventStore(config, database.url);
          const pool = guardedPool({ connectionString: database.url, max: 2 }, () => undefined);
          const bar = new SingleBar({ format: 'verify [{bar}] {percentage}% | leaf {value}/{total} | {eta_formatted} left', hideCursor: true }, Presets.shades_classic);
          const started = Date.now();
          try {
            const verifier = verifierKeyOf(parseSignerKey(resolveLedgerSecrets(config).logKey));
            let barStarted = false;
            const result = await verifyLog({
              store,
              db: pool,
              origin: config.logOrigin,
              verifiers: [verifier],
              onProgress: (leaves, total) => {
                if (options.quiet) return;
                if (!barStarted) bar.start(total, 0);
                barStarted = true;
                bar.update(leaves);
              },
            });
            if (barStarted) bar.stop();
            const seconds = (Date.now() - started) / 1000;
            process.stdout.write(`${result.leaves} leaves and ${result.checkpoints} signed checkpoints checked in ${seconds.toFixed(1)} s\n`);
            if (result.finding) throw new OperatorError(describeFinding(result.finding));
            process.stdout.write('the log, its tree and every signed checkpoint agree\n');
          } finally {
            await pool.end();
            await store.close();
          }
        });
      });
  },
};
