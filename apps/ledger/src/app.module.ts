import { DynamicModule, Module } from '@nestjs/common';
import { APP_FILTER, APP_PIPE } from '@nestjs/core';
import { CqrsModule } from '@nestjs/cqrs';
import { LoggerModule } from 'nestjs-pino';
import type { LedgerConfig } from '@ledger/platform';
import { CommandsModule } from './commands/commands.module';
import { AuthModule } from './platform/auth/auth.module';
import { LedgerConfigModule } from './platform/config/config.module';
import { ProblemDetailsFilter } from './platform/errors/problem-details.filter';
import { createRequestValidationPipe } from './platform/errors/request-validation';
import { HealthModule } from './platform/health/health.module';
import { IdempotencyModule } from './platform/idempotency/idempotency.module';
import { loggingOptions } from './platform/logging/logging.options';
import { StorageModule } from './platform/storage/storage.module';
import { PersonalDataModule } from './privacy/personal-data.module';
import { PrivacyModule } from './privacy/privacy.module';
import { LogModule } from './log/log.module';
import { AccessLogModule } from './access-log/access-log.module';
import { ReadSideModule } from './queries/read-side.module';
import { PagesModule } from './pages/pages.module';
import { MetricsModule } from './platform/metrics/metrics.module';
import { ClockModule } from './platform/clock/clock.module';

/** The whole ledger service for one validated configuration. */
@Module({})
export class AppModule {
  static forRoot(config: LedgerConfig): DynamicModule {
    return {
      module: AppModule,
      imports: [
        LedgerConfigModule.forRoot(config),
        LoggerModule.forRoot(loggingOptions(config.logLevel)),
        CqrsModule.forRoot(),
        // The clock and fresh ids of the command side.
        ClockModule,
        // GET /metrics, and the registry every module counts in (the event store's appends among them).
        MetricsModule,
        StorageModule,
        // The key store and the vault: after storage (it migrates the key table), before everything that reads names.
        PersonalDataModule,
        AuthModule,
        IdempotencyModule,
        HealthModule,
        CommandsModule,
        // ARCO: lookup, access, rectification, erasure (privacy role).
        PrivacyModule,
        // Query routes, and the projector unless LEDGER_PROJECTOR=off.
        ReadSideModule,
        LogModule,
        AccessLogModule,
        // The public verification page (/verify/{folio}) and its files.
        PagesModule,
      ],
      providers: [
        { provide: APP_FILTER, useClass: ProblemDetailsFilter },
        { provide: APP_PIPE, useFactory: createRequestValidationPipe },
      ],
    };
  }
}
