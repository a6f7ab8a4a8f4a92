import { Global, Inject, Injectable, Logger, Module, type OnApplicationShutdown } from '@nestjs/common';
import type { Pool } from 'pg';
import { guardedPool, type LedgerDatabase, type LedgerSecrets } from '@ledger/platform';
import { PersonalDataVault, PostgresKeyStore } from '@ledger/personal-data';
import { LEDGER_DATABASE, LEDGER_SECRETS, PG_POOL } from '../platform/config/config.tokens';

/** The ledger's one decryption point for personal data: the command side, the projector and the privacy office share it. */
export const PERSONAL_DATA_VAULT = Symbol('PERSONAL_DATA_VAULT');
const KEY_STORE_POOL = Symbol('KEY_STORE_POOL');

/**
 * The key store's own connections, apart from the ledger's pool (PG_POOL).
 * A command with an Idempotency-Key holds one of PG_POOL's connections in a
 * transaction for its whole run, and its person events are sealed and opened
 * through the vault meanwhile: on the same pool, 30 such commands at once
 * each held a connection and waited for a second one, for ever. The vault
 * never waits on PG_POOL, so the two cannot wait on each other. A wait here
 * is bounded: past it the command fails as storage unavailable (503).
 */
const KEY_STORE_POOL_SIZE = 8;
const KEY_STORE_CONNECT_TIMEOUT_MS = 10_000;

function openKeyStorePool(database: LedgerDatabase): Pool {
  return guardedPool(
    { connectionString: database.url, max: KEY_STORE_POOL_SIZE, connectionTimeoutMillis: KEY_STORE_CONNECT_TIMEOUT_MS, application_name: 'ledger-keys' },
    (error) => new Logger('PersonalData').warn(`key store connection failed: ${error.message}`),
  );
}

/** The vault on the key store (ledger.personal_data_keys, migrated with the ledger's schema); refuses to start under another master key than the keys'. */
async function openVault(pool: Pool, secrets: LedgerSecrets): Promise<PersonalDataVault> {
  const vault = new PersonalDataVault(new PostgresKeyStore(pool), secrets.masterKey);
  await vault.assertMasterKey();
  return vault;
}

@Injectable()
class KeyStoreShutdown implements OnApplicationShutdown {
  constructor(@Inject(KEY_STORE_POOL) private readonly pool: Pool) {}

  async onApplicationShutdown(): Promise<void> {
    await this.pool.end().catch(() => undefined);
  }
}

@Global()
@Module({
  providers: [
    { provide: KEY_STORE_POOL, inject: [LEDGER_DATABASE], useFactory: openKeyStorePool },
    // PG_POOL only for the order: its factory migrates the ledger schema, the key table among it, before the vault reads it.
    { provide: PERSONAL_DATA_VAULT, inject: [KEY_STORE_POOL, LEDGER_SECRETS, PG_POOL], useFactory: (pool: Pool, secrets: LedgerSecrets) => openVault(pool, secrets) },
    KeyStoreShutdown,
  ],
  exports: [PERSONAL_DATA_VAULT],
})
export class PersonalDataModule {}
