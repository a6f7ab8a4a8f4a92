import { Global, Module } from '@nestjs/common';
import type { Pool } from 'pg';
import type { LedgerSecrets } from '@ledger/platform';
import { PersonalDataVault, PostgresKeyStore } from '@ledger/personal-data';
import { LEDGER_SECRETS, PG_POOL } from '../platform/config/config.tokens';

/** The ledger's one decryption point for personal data: the command side, the projector and the privacy office share it. */
export const PERSONAL_DATA_VAULT = Symbol('PERSONAL_DATA_VAULT');

/** The vault on the key store (ledger.personal_data_keys, migrated with the pool); refuses to start under another master key than the keys'. */
async function openVault(pool: Pool, secrets: LedgerSecrets): Promise<PersonalDataVault> {
  const vault = new PersonalDataVault(new PostgresKeyStore(pool), secrets.masterKey);
  await vault.assertMasterKey();
  return vault;
}

@Global()
@Module({
  providers: [{ provide: PERSONAL_DATA_VAULT, inject: [PG_POOL, LEDGER_SECRETS], useFactory: openVault }],
  exports: [PERSONAL_DATA_VAULT],
})
export class PersonalDataModule {}
