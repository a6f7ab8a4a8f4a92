import { Global, Module } from '@nestjs/common';
import { LedgerClock, SystemClock } from './ledger-clock';

/** The system clock, for every module of the ledger (specs give their own LedgerClock). */
@Global()
@Module({
  providers: [{ provide: LedgerClock, useClass: SystemClock }],
  exports: [LedgerClock],
})
export class ClockModule {}
