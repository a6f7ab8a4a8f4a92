import { BeforeApplicationShutdown, Controller, Get, HttpCode, Inject, Injectable, OnApplicationBootstrap, OnModuleDestroy, Res } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiResponse, ApiServiceUnavailableResponse, ApiTags } from '@nestjs/swagger';
import type { HttpResponse } from '../http/http-types';
import { EVENT_STORE, type EventStore } from '@ledger/event-store';
import { Public } from '../auth/public.decorator';
import { HealthResponse } from '../openapi/health-response';
import { ApiWithoutToken } from '../openapi/openapi';
import { HEADERS_TOO_LARGE_ANSWER } from '../openapi/openapi-answers';
import { hasBody, isConditional, sendAsExpressWould, type ExpressApplication, type FastPath } from '../http/fast-lane';
import { StoreLiveness } from './store-liveness';

/** A store that does not answer within this is as good as down for a load balancer. */
const STORE_CHECK_TIMEOUT_MS = 2_000;
/** How often the store is asked whether it answers, whatever the traffic. */
const STORE_CHECK_INTERVAL_MS = 1_000;

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

/**
 * Whether the event store answers, kept in memory (StoreLiveness): asked
 * every second in the background, and told by the problem filter whenever a
 * request met the store unreachable.
 */
@Injectable()
export class EventStoreLiveness extends StoreLiveness implements OnApplicationBootstrap, OnModuleDestroy {
  constructor(@Inject(EVENT_STORE) eventStore: EventStore) {
    super({ probe: () => eventStore.headPosition(), intervalMs: STORE_CHECK_INTERVAL_MS, timeoutMs: STORE_CHECK_TIMEOUT_MS });
  }

  async onApplicationBootstrap(): Promise<void> {
    await this.start();
  }

  async onModuleDestroy(): Promise<void> {
    await this.stop();
  }
}

/** What `GET /health` answers, from memory: 200 `{"status":"ok"}` while ready and the store answers. */
@Injectable()
export class Health {
  constructor(
    private readonly readiness: Readiness,
    private readonly store: EventStoreLiveness,
  ) {}

  get ok(): boolean {
    return this.readiness.isReady && this.store.answers;
  }
}

@ApiTags('health')
@Controller('health')
export class HealthController {
  constructor(private readonly state: Health) {}

  @Public()
  @Get()
  @HttpCode(200)
  @ApiOperation({
    operationId: 'getHealth',
    summary: '200 once the ledger takes commands, 503 before and while shutting down, and while the event store does not answer',
    description:
      'Answered from what the ledger knows, without a query per call: the event store is asked every second in the background, ' +
      'and a request that finds it unreachable makes this 503 at once, until the store answers again.',
  })
  @ApiWithoutToken()
  @ApiOkResponse({ type: HealthResponse, description: 'Ready: `{"status":"ok"}`' })
  @ApiServiceUnavailableResponse({ type: HealthResponse, description: 'Starting, shutting down, or the store does not answer: `{"status":"unavailable"}`' })
  @ApiResponse(HEADERS_TOO_LARGE_ANSWER)
  health(@Res({ passthrough: true }) response: HttpResponse): { status: 'ok' | 'unavailable' } {
    const ok = this.state.ok;
    if (!ok) response.status(503);
    return { status: ok ? 'ok' : 'unavailable' };
  }
}

/** Frozen, so the fast lane serialises it (and takes its ETag) once. */
const HEALTHY = Object.freeze({ status: 'ok' });

/**
 * `GET /health` answered ahead of Express while the ledger is healthy, as
 * the controller answers it (sendAsExpressWould): a load balancer's probe
 * costs a few microseconds. Anything else about the request (a query, a
 * body, a conditional GET, another method) and every 503 go onward to
 * Express and Nest as before. No log line, as for /health through Nest.
 */
export function healthFastPath(health: Health, express: ExpressApplication): FastPath {
  const send = sendAsExpressWould(express, '/health');
  return (request, response, onward) => {
    if (request.method !== 'GET' || request.url !== '/health' || hasBody(request) || isConditional(request) || !health.ok) return onward();
    send(request, response, HEALTHY);
  };
}
