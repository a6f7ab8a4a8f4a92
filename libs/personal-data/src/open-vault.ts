import { Pool } from 'pg';
import { PostgresKeyStore } from './postgres-key-store';
import { PersonalDataVault, type VaultOptions } from './personal-data-vault';

/** A vault on the key store in the ledger's PostgreSQL database, for processes beside the server (projector, CLI); close() ends its pool. */
export async function openPersonalDataVault(
  connectionString: string,
  masterSecret: string,
  options: VaultOptions = {},
): Promise<{ vault: PersonalDataVault; close: () => Promise<void> }> {
  const pool = new Pool({ connectionString, max: 2, application_name: 'ledger-personal-data' });
  // A lost connection fails its query; the next one reconnects.
  pool.on('error', () => undefined);
  const vault = new PersonalDataVault(new PostgresKeyStore(pool), masterSecret, options);
  try {
    await vault.assertMasterKey();
  } catch (error) {
    await pool.end();
    throw error;
  }
  return { vault, close: () => pool.end() };
}
