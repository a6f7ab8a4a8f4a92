import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startEmbeddedPostgres } from '../../libs/platform/src/testing';
import { buildApps } from './compiled-apps';

/**
 * One PostgreSQL server for the whole test run, on a free port, in a
 * throw-away folder. Suites create their own databases on it
 * (see test/support/test-database.ts) so they never see each other's rows;
 * and the apps compiled (dist/) for the suites that start them as processes.
 */
export default async function globalSetup(): Promise<void> {
  buildApps();
  const dataDir = mkdtempSync(join(tmpdir(), 'ledger-test-pg-'));
  const server = await startEmbeddedPostgres({ dataDir });
  process.env.LEDGER_TEST_PG_URL = server.url;
  process.env.LEDGER_TEST_PG_DIR = dataDir;
  (globalThis as Record<string, unknown>).__LEDGER_TEST_PG__ = server;
  writeFileSync(join(dataDir, 'url'), server.url);
}
