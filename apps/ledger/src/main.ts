import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { ConfigurationError, loadLedgerConfig } from '@ledger/platform';
import { createLedgerApp } from './ledger-app';

/** Past this, a shutdown that waits on a stuck connection gives up and exits. */
const SHUTDOWN_GRACE_MS = 15_000;

async function main(): Promise<void> {
  const config = loadLedgerConfig();
  const app = await createLedgerApp(config);
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    process.once(signal, () => setTimeout(() => process.exit(1), SHUTDOWN_GRACE_MS).unref());
  }
  await app.listen(config.port);
  new Logger('Ledger').log(`Listening on port ${config.port}; data folder ${config.dataDir}${config.databaseUrl ? '' : ' (embedded PostgreSQL)'}`);
}

// A failed promise somewhere must not take the server (and every request in flight) down.
process.on('unhandledRejection', (reason) => new Logger('Ledger').error(`Unhandled rejection: ${reason instanceof Error ? reason.stack : String(reason)}`));

main().catch((error: unknown) => {
  const message = error instanceof ConfigurationError ? error.message : error instanceof Error ? (error.stack ?? error.message) : String(error);
  process.stderr.write(`The ledger could not start: ${message}\n`);
  process.exit(1);
});
