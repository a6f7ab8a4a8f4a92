import { loadLedgerConfig, openLedgerDatabase, resolveLedgerSecrets, type LedgerConfig, type LedgerDatabase, type LedgerSecrets } from '@ledger/platform';

/** What an operator command works with: the same configuration, secrets and database as the server. */
export interface CliContext {
  config: LedgerConfig;
  secrets: LedgerSecrets;
}

/** Configuration and secrets exactly as the server resolves them (same environment, same data folder). */
export function cliContext(): CliContext {
  const config = loadLedgerConfig();
  return { config, secrets: resolveLedgerSecrets(config) };
}

/**
 * Runs `work` against the ledger's database: `DATABASE_URL`, or the embedded
 * PostgreSQL under `LEDGER_DATA_DIR` (shared with a running server, started
 * for the command otherwise), and closes it afterwards.
 */
export async function withLedgerDatabase<T>(work: (database: LedgerDatabase, context: CliContext) => Promise<T>): Promise<T> {
  const context = cliContext();
  const database = await openLedgerDatabase(context.config);
  try {
    return await work(database, context);
  } finally {
    await database.close();
  }
}
