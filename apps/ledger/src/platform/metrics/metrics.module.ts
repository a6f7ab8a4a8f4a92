import { Controller, Get, Global, Inject, Module, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { timingSafeEqual } from 'node:crypto';
import type { LedgerConfig } from '@ledger/platform';
import { Public } from '../auth/public.decorator';
import { LEDGER_CONFIG } from '../config/config.tokens';
import { ProblemException } from '../errors/problem.exception';
import type { HttpRequest, HttpResponse } from '../http/http-types';
import { LedgerMetrics } from './ledger-metrics';

/**
 * GET /metrics, Prometheus's text format, for the operators' scraper: not an
 * API route (left out of the OpenAPI document), and open unless
 * LEDGER_METRICS_TOKEN names the bearer token a scraper must send.
 */
@ApiExcludeController()
@Public()
@Controller('metrics')
export class MetricsHttpController {
  private readonly expected?: Buffer;

  constructor(
    private readonly metrics: LedgerMetrics,
    @Inject(LEDGER_CONFIG) config: LedgerConfig,
  ) {
    this.expected = config.metricsToken === undefined ? undefined : Buffer.from(`Bearer ${config.metricsToken}`);
  }

  @Get()
  async scrape(@Req() request: HttpRequest, @Res() response: HttpResponse): Promise<void> {
    if (this.expected && !sameSecret(request.headers.authorization, this.expected)) {
      throw new ProblemException(401, 'UNAUTHENTICATED', 'GET /metrics takes the bearer token configured in LEDGER_METRICS_TOKEN');
    }
    const { contentType, body } = await this.metrics.scrape();
    response.setHeader('Cache-Control', 'no-store');
    response.status(200).type(contentType).send(body);
  }
}

function sameSecret(given: string | undefined, expected: Buffer): boolean {
  const bytes = Buffer.from(given ?? '');
  return bytes.length === expected.length && timingSafeEqual(bytes, expected);
}

/** One registry for the whole process: every module that counts something injects it. */
@Global()
@Module({
  providers: [{ provide: LedgerMetrics, useFactory: () => new LedgerMetrics() }],
  controllers: [MetricsHttpController],
  exports: [LedgerMetrics],
})
export class MetricsModule {}
