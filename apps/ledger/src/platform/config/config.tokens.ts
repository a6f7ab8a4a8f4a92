/** Injection tokens of the ledger's platform; the read side injects these too. */
export const LEDGER_CONFIG = Symbol('LEDGER_CONFIG');
export const LEDGER_SECRETS = Symbol('LEDGER_SECRETS');
/** The resolved PostgreSQL database (`LedgerDatabase`): embedded or `DATABASE_URL`. */
export const LEDGER_DATABASE = Symbol('LEDGER_DATABASE');
/** A `pg` Pool on that database, for the ledger's own tables (idempotency records). */
export const PG_POOL = Symbol('PG_POOL');
