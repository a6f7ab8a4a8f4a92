/**
 * `npm run esdb:test-server`: the EventStoreDB test server as a process, for
 * trying the ledger in EventStoreDB mode where no real node can run. Prints the
 * connection string on a line of its own; stops on SIGINT / SIGTERM.
 */
import { startEventStoreDbTestServer } from './server';

const STATS_INTERVAL_MS = 30_000;

async function main(): Promise<void> {
  const port = process.env.ESDB_TEST_SERVER_PORT ? Number(process.env.ESDB_TEST_SERVER_PORT) : 0;
  const server = await startEventStoreDbTestServer({ port, statsIntervalMs: STATS_INTERVAL_MS });
  process.stdout.write(`${server.connectionString}\n`);

  const shutdown = (): void => {
    void server.stop().then(() => process.exit(0));
  };
  process.once('SIGINT', shutdown);
  process.once('SIGTERM', shutdown);
}

main().catch((error: unknown) => {
  process.stderr.write(`EventStoreDB test server failed to start: ${String(error)}\n`);
  process.exit(1);
});
