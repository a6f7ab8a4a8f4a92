import { join } from 'node:path';
import { Client } from 'pg';
import { startEmbeddedPostgres } from './embedded-postgres';
import type { LedgerConfig } from './ledger-config';

/** The PostgreSQL database the ledger works in, embedded or external. */
export interface LedgerDatabase {
  readonly url: string;
  readonly embedded: boolean;
  /** Stops the embedded server (a no-op for an external database). */
  close(): Promise<void>;
}

export const EMBEDDED_DATABASE_NAME = 'ledger';

/**
 * `DATABASE_URL` when configured; otherwise PostgreSQL embedded under
 * `LEDGER_DATA_DIR/postgres`, kept between runs, with its own `ledger` database.
 */
export async function openLedgerDatabase(
  config: Pick<LedgerConfig, 'databaseUrl' | 'dataDir'>,
  logs: { onLog?: (line: string) => void; onSupervision?: (message: string) => void } = {},
): Promise<LedgerDatabase> {
  if (config.databaseUrl) {
    return { url: config.databaseUrl, embedded: false, close: async () => undefined };
  }
  const server = await startEmbeddedPostgres({ dataDir: join(config.dataDir, 'postgres'), ...logs });
  try {
    await createDatabaseIfMissing(server.url, EMBEDDED_DATABASE_NAME);
  } catch (error) {
    await server.stop();
    throw error;
  }
  return { url: server.urlFor(EMBEDDED_DATABASE_NAME), embedded: true, close: () => server.stop() };
}

async function createDatabaseIfMissing(serverUrl: string, name: string): Promise<void> {
  const client = new Client({ connectionString: serverUrl });
  client.on('error', () => undefined);
  await client.connect();
  try {
    const { rowCount } = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    if (rowCount === 0) await client.query(`CREATE DATABASE "${name}"`);
  } catch (error) {
    // Another process (the server beside a CLI command) created it first.
    const code = (error as { code?: string }).code;
    if (code !== '42P04' && code !== '23505') throw error;
  } finally {
    await client.end();
  }
}
