import { Logger, Module } from '@nestjs/common';
import type { Pool } from 'pg';
import type { LedgerDatabase } from '@ledger/platform';
import { LogProofCache } from '@ledger/projections';
import { LEDGER_DATABASE, PG_POOL } from '../platform/config/config.tokens';
import { LogAnswers } from './log-answers';
import { LogHttpController } from './log.http.controller';

const logger = new Logger('LogProofCache');

/**
 * The verifiable log's routes (`/v1/log/*`), with the in-memory cache of the
 * tree that inclusion proofs are answered from (LogProofCache, its default
 * bound). Its builder and signer run with the projector (ReadSideModule, apps/projector).
 */
@Module({
  controllers: [LogHttpController],
  providers: [
    {
      provide: LogProofCache,
      inject: [PG_POOL, LEDGER_DATABASE],
      useFactory: (pool: Pool, database: LedgerDatabase) => new LogProofCache({ db: pool, connectionString: database.url, log: (message) => logger.warn(message) }),
    },
    LogAnswers,
  ],
})
export class LogModule {}
