import { Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { JwtModule } from '@nestjs/jwt';
import type { LedgerSecrets } from '@ledger/platform';
import { LEDGER_SECRETS } from '../config/config.tokens';
import { AuthGuard } from './auth.guard';

@Module({
  imports: [
    JwtModule.registerAsync({
      inject: [LEDGER_SECRETS],
      useFactory: (secrets: LedgerSecrets) => ({
        secret: secrets.tokenKey,
        signOptions: { algorithm: 'HS256' },
        verifyOptions: { algorithms: ['HS256'] },
      }),
    }),
  ],
  providers: [{ provide: APP_GUARD, useClass: AuthGuard }],
})
export class AuthModule {}
