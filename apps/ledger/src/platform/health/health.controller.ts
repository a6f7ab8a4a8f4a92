import { BeforeApplicationShutdown, Controller, Get, HttpCode, Inject, Injectable, OnApplicationBootstrap, Res } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiResponse, ApiServiceUnavailableResponse, ApiTags } from '@nestjs/swagger';
import type { HttpResponse } from '../http/http-types';
import { EVENT_STORE, type EventStore } from '@ledger/event-store';
import { Public } from '../auth/public.decorator';
import { HealthResponse } from '../openapi/health-response';
import { ApiWithoutToken } from '../openapi/openapi';
import { HEADERS_TOO_LARGE_ANSWER } from '../openapi/openapi-answers';

/** A store that does not answer within this is as good as down for a load balancer. */
const STORE_CHECK_TIMEOUT_MS = 2_000;

/**
 * Ready once every module has started (migrations run, store open), and no
 * longer ready as soon as shutdown begins, so a load balancer stops sending
 * commands before the server stops taking them.
 */
@Injectable()
export class Readiness implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private ready = false;

  onApplicationBootstrap(): void {
    this.ready = true;
  }

  beforeApplicationShutdown(): void {
    this.ready = false;
  }

  get isReady(): boolean {
    return this.ready;
  }
}

@ApiTags('health')
@Controller('health')
export class HealthController {
  constructor(
    private readonly readiness: Readiness,
    @Inject(EVENT_STORE) private readonly eventStore: EventStore,
  ) {}

  @Public()
  @Get()
  @HttpCode(200)
  @ApiOperation({ operationId: 'getHealth', summary: '200 once the ledger takes commands, 503 before and while shutting down' })
  @ApiWithoutToken()
  @ApiOkResponse({ type: HealthResponse, description: 'Ready: `{"status":"ok"}`' })
  @ApiServiceUnavailableResponse({ type: HealthResponse, description: 'Starting, shutting down, or the store does not answer: `{"status":"unavailable"}`' })
  @ApiResponse(HEADERS_TOO_LARGE_ANSWER)
  async health(@Res({ passthrough: true }) response: HttpResponse): Promise<{ status: 'ok' | 'unavailable' }> {
    const ok = this.readiness.isReady && (await this.storeAnswers());
    if (!ok) response.status(503);
    return { status: ok ? 'ok' : 'unavailable' };
  }

  private async storeAnswers(): Promise<boolean> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<false>((resolve) => (timer = setTimeout(() => resolve(false), STORE_CHECK_TIMEOUT_MS)));
    try {
      return await Promise.race([this.eventStore.headPosition().then(() => true, () => false), timeout]);
    } finally {
      clearTimeout(timer);
    }
  }
}
