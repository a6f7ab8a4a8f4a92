import type { Command } from 'commander';
import { Presets, SingleBar } from 'cli-progress';
import { Pool } from 'pg';
import { openEventStore, type EventStore } from '@ledger/event-store';
import { openPersonalDataVault } from '@ledger/personal-data';
import { ensureGenerations, ledgerProjections, ledgerProjectionsFor, projectionNamed, rebuildProjections, type PersonalDataOpener, type Projection } from '@ledger/projections';
import { runReadModelMigrations } from '@ledger/read-models';
import { withLedgerDatabase } from '../cli-context';
import { OperatorError, type CliCommand } from './cli-command';

/**
 * `ledger rebuild [projection]`: rebuilds one projection (or all) blue/green:
 * new tables fill from the log beside the ones queries read, and replace
 * them in one transaction once caught up. Safe while the ledger serves
 * requests; if a projector already carries out this rebuild, this only shows
 * its progress. Interrupted, it resumes from its checkpoint when run again.
 */
export const rebuildCommand: CliCommand = {
  register(program: Command): void {
    program
      .command('rebuild')
      .argument('[projection]', `one of ${ledgerProjections.map((p) => p.name).join(', ')}; all when omitted`)
      .description('Rebuild read models from the event log, blue/green, with a progress bar')
      .option('--batch <n>', 'events per read and transaction', (text) => Number(text), 2_000)
      .action(async (name: string | undefined, options: { batch: number }) => {
        selected(name, ledgerProjections); // an unknown name is refused before anything is opened
        if (!Number.isInteger(options.batch) || options.batch < 1 || options.batch > 100_000) {
          throw new OperatorError('--batch must be a whole number from 1 to 100000');
        }
        await withLedgerDatabase(async (database, { config, secrets }) => {
          // As configured: the findings are rebuilt under the thresholds the ledger runs with.
          const configured = ledgerProjectionsFor(config);
          const projections = selected(name, configured);
          const store = await openEventStore(config, database.url);
          // Names are read through the vault: an erased person's fold as erased, as they do live.
          const personalData = await openPersonalDataVault(database.url, secrets.masterKey);
          try {
            await runReadModelMigrations(database.url);
            await ensureActiveGenerations(database.url, configured);
            await rebuildWithProgress(database.url, store, projections, options.batch, personalData.vault);
          } finally {
            await personalData.close();
            await store.close();
          }
        });
      });
  },
};

function selected(name: string | undefined, configured: readonly Projection[]): readonly Projection[] {
  if (name === undefined) return configured;
  try {
    return [projectionNamed(name, configured)];
  } catch (error) {
    throw new OperatorError((error as Error).message);
  }
}

/** A first-ever rebuild needs something to switch from: the (empty) generations queries read. */
async function ensureActiveGenerations(url: string, configured: readonly Projection[]): Promise<void> {
  const pool = new Pool({ connectionString: url, max: 1 });
  try {
    await ensureGenerations(pool, configured);
  } finally {
    await pool.end();
  }
}

async function rebuildWithProgress(
  url: string,
  store: EventStore,
  projections: readonly Projection[],
  batchSize: number,
  personalData: PersonalDataOpener,
): Promise<void> {
  const names = projections.map((p) => p.name).join(', ');
  const bar = new SingleBar({ format: `rebuild ${names} [{bar}] {percentage}% | position {value}/{total} | {eta_formatted} left`, hideCursor: true }, Presets.shades_classic);
  const started = Date.now();
  const head = await store.headPosition();
  bar.start(Number(head + 1n), 0);
  const result = await rebuildProjections({
    connectionString: url,
    store,
    projections,
    batchSize,
    personalData,
    onProgress: ({ position, head: total }) => {
      bar.setTotal(Number(total + 1n));
      bar.update(Number(position + 1n));
    },
  });
  bar.update(Number(head + 1n));
  bar.stop();
  const seconds = (Date.now() - started) / 1000;
  for (const generation of result.generations) {
    process.stdout.write(`${generation.projection}: generation ${generation.id} (v${generation.version}) is ${generation.status} at position ${generation.checkpoint}\n`);
  }
  const rate = Math.round(Number(head + 1n) / Math.max(seconds, 0.001));
  process.stdout.write(`${result.builtHere ? 'rebuilt' : 'watched a projector rebuild'} ${names} in ${seconds.toFixed(1)} s (${rate} events/s)\n`);
}
