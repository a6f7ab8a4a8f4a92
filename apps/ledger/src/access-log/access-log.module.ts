import { Module } from '@nestjs/common';
import { AccessLogInterceptor } from './access-log.interceptor';
import { AccessLog } from './access-log.service';

/**
 * The access log: who read whose personal data. Import it where a route
 * shows personal data (the read side, the privacy office) and call
 * AccessLog.record, or put @RecordsAccess on the route. Not global, so its
 * shutdown (writing out the queue) runs before the global storage module
 * closes the pool.
 */
@Module({
  // Its route (AccessLogHttpController) is a query like the others: ReadSideModule holds it, beside the read models it reads in.
  providers: [AccessLog, AccessLogInterceptor],
  exports: [AccessLog, AccessLogInterceptor],
})
export class AccessLogModule {}
