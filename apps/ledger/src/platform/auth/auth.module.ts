import { createSecretKey } from 'node:crypto';
import { Logger, Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { JwtModule } from '@nestjs/jwt';
import type { LedgerConfig, LedgerSecrets } from '@ledger/platform';
import { LEDGER_CONFIG, LEDGER_SECRETS } from '../config/config.tokens';
import { FailedAuthentications } from '../rate-limit/rate-limits';
import { AuthGuard } from './auth.guard';
import { TokenVerifier } from './token-verifier';

@Module({
  imports: [
    JwtModule.registerAsync({
      inject: [LEDGER_SECRETS],
      useFactory: (secrets: LedgerSecrets) => {
        // The key as a KeyObject, made once: given the secret as a string, jsonwebtoken tries it as a public key
        // (and catches the failure) then makes a secret key of it on every token, 16 % of the server's CPU under load.
        const key = createSecretKey(Buffer.from(secrets.tokenKey, 'utf8'));
        return {
          secretOrKeyProvider: () => key,
          signOptions: { algorithm: 'HS256' },
          verifyOptions: { algorithms: ['HS256'] },
        };
      },
    }),
  ],
  providers: [
    { provide: FailedAuthentications, inject: [LEDGER_CONFIG], useFactory: (config: LedgerConfig) => new FailedAuthentications(config.rateLimit, new Logger('RateLimit')) },
    TokenVerifier,
    { provide: APP_GUARD, useClass: AuthGuard },
  ],
  exports: [TokenVerifier],
})
export class AuthModule {}
