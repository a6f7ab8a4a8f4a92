import { DynamicModule, Global, Module } from '@nestjs/common';
import { LedgerConfig, resolveLedgerSecrets } from '@ledger/platform';
import { LEDGER_CONFIG, LEDGER_SECRETS } from './config.tokens';

/** The validated configuration and the secrets derived from it, available everywhere. */
@Global()
@Module({})
export class LedgerConfigModule {
  static forRoot(config: LedgerConfig): DynamicModule {
    return {
      module: LedgerConfigModule,
      providers: [
        { provide: LEDGER_CONFIG, useValue: config },
        { provide: LEDGER_SECRETS, useFactory: () => resolveLedgerSecrets(config) },
      ],
      exports: [LEDGER_CONFIG, LEDGER_SECRETS],
    };
  }
}
