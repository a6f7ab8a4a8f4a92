/**
 * `npm run esdb:test-server`: the EventStoreDB test server as a process, for
 * trying the ledger in EventStoreDB mode where no real node can run. Prints the
 * connection string on a line of its own; stops on SIGINT / SIGTERM.
 */
import { startEventStoreDbTestServer } from './server';

const STATS_INTERVAL_MS = 30_000;
const ORPHAN_CHECK_MS = 1_000;

async function main(): Promise<void> {
  const port = process.env.ESDB_TEST_SERVER_PORT ? Number(process.env.ESDB_TEST_SERVER_PORT) : 0;
  const server = await startEventStoreDbTestServer({ port, statsIntervalMs: STATS_INTERVAL_MS });
  process.stdout.write(`${server.connectionString}\n`);

  const shutdown = (): void => {
    void server.stop().then(() => process.exit(0));
  };
  process.once('SIGINT', shutdown);
  process.once('SIGTERM', shutdown);
  stopWhenOrphaned(shutdown);
}

/**
 * `npm run` does not pass a SIGTERM sent to npm on to this process (a Ctrl-C
 * reaches the whole process group, so that case is fine). When the parent
 * goes away, the process is re-parented; take that as the signal to stop.
 */
function stopWhenOrphaned(shutdown: () => void): void {
  const parent = process.ppid;
  const timer = setInterval(() => {
    if (process.ppid !== parent) shutdown();
  }, ORPHAN_CHECK_MS);
  timer.unref();
}

main().catch((error: unknown) => {
  process.stderr.write(`EventStoreDB test server failed to start: ${String(error)}\n`);
  process.exit(1);
});
