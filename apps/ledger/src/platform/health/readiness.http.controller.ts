import { Controller, Get, HttpCode, Res } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiProperty, ApiResponse, ApiServiceUnavailableResponse, ApiTags } from '@nestjs/swagger';
import { Public } from '../auth/public.decorator';
import type { HttpResponse } from '../http/http-types';
import { ApiWithoutToken } from '../openapi/openapi';
import { HEADERS_TOO_LARGE_ANSWER } from '../openapi/openapi-answers';
import { Readiness } from './health.controller';
import { ReadSideHealth, type ProjectionHealth, type ReadSideStatus } from './read-side-health';

class LivenessResponse {
  @ApiProperty({ enum: ['ok'] }) status: 'ok';
}

class ProjectionHealthResponse implements ProjectionHealth {
  @ApiProperty({ example: 'certification' }) name: string;
  @ApiProperty({ type: String, nullable: true, example: '1042', description: 'Position folded so far; null before the projection has read models' }) checkpoint: string | null;
  @ApiProperty({ example: 0, description: 'Seconds since the oldest event not yet folded was recorded; 0 when caught up' }) lagSeconds: number;
  @ApiProperty({ example: 0, description: 'Events set aside because they could not be folded' }) parked: number;
}

class ReadinessResponse {
  @ApiProperty({ enum: ['ready', 'unavailable'] }) status: 'ready' | 'unavailable';
  @ApiProperty({ type: [String], description: 'Why not ready, one sentence each; empty when ready' }) reasons: string[];
  @ApiProperty({ type: String, nullable: true, example: '1042', description: "The log's head; null when the event store does not answer" }) head: string | null;
  @ApiProperty({ type: [ProjectionHealthResponse] }) projections: ProjectionHealthResponse[];
}

/**
 * `/health/live` says the process answers (restart it otherwise);
 * `/health/ready` says it should get traffic: started and not shutting
 * down, the event store and the read models answer, no projection has
 * parked events or lags further than LEDGER_READY_MAX_LAG, and the
 * verifiable log's checkpoints keep up with its tree. `/health` keeps its
 * meaning: commands can be taken.
 */
@ApiTags('health')
@Controller('health')
export class ReadinessHttpController {
  constructor(
    private readonly readiness: Readiness,
    private readonly readSide: ReadSideHealth,
  ) {}

  @Public()
  @Get('live')
  @HttpCode(200)
  @ApiOperation({ operationId: 'getLiveness', summary: '200 while the process answers at all' })
  @ApiWithoutToken()
  @ApiOkResponse({ type: LivenessResponse, description: '`{"status":"ok"}`' })
  @ApiResponse(HEADERS_TOO_LARGE_ANSWER)
  live(): LivenessResponse {
    return { status: 'ok' };
  }

  @Public()
  @Get('ready')
  @HttpCode(200)
  @ApiOperation({
    operationId: 'getReadiness',
    summary:
      '200 when the ledger should get traffic; 503 with the reasons when the store or read models do not answer, a projection has parked events or lags, or checkpoints of the verifiable log stall',
    description:
      'Not ready while starting or shutting down; while the event store or the read models do not answer; while a projection has parked events, ' +
      'or the oldest event it has not folded was recorded longer ago than `LEDGER_READY_MAX_LAG` seconds; and while the verifiable log\'s checkpoints ' +
      'do not keep up with its tree. The tree may grow past the last signed checkpoint for at most `LEDGER_READY_MAX_UNSIGNED` seconds (by default max(3 × `LEDGER_CHECKPOINT_INTERVAL`, 30)), ' +
      "counted from that checkpoint's signing, or from the first event it does not cover if that came later: past it, a reason " +
      '`checkpoints: the tree has N leaves the last checkpoint (size M, signed S s ago) does not cover …` (or `… no checkpoint covers (none signed yet …` ' +
      'before the first). When the checkpoint signer runs in this process (the in-process projector) and refused to sign, because the tree does not ' +
      'extend the last checkpoint it signed (a fork: a database restored or swapped, stored hashes edited), the reason ' +
      '`checkpoints: the signer refuses to sign: …` is given at once: no checkpoint is signed until an operator resolves it. A signer in apps/projector ' +
      'that refuses is seen here by the bound. Every reason starts with what it is about: a projection\'s name, or `checkpoints`.',
  })
  @ApiWithoutToken()
  @ApiOkResponse({
    type: ReadinessResponse,
    description: 'Ready: every projection caught up (within the bound), none has parked events, and the last signed checkpoint covers the tree or is due within the bound',
  })
  @ApiServiceUnavailableResponse({ type: ReadinessResponse, description: 'Not ready; `reasons` says why' })
  @ApiResponse(HEADERS_TOO_LARGE_ANSWER)
  async ready(@Res({ passthrough: true }) response: HttpResponse): Promise<ReadinessResponse> {
    const status: ReadSideStatus = this.readiness.isReady
      ? await this.readSide.status()
      : { ready: false, reasons: ['the ledger is starting or shutting down'], head: null, projections: [] };
    if (!status.ready) response.status(503);
    return { status: status.ready ? 'ready' : 'unavailable', reasons: [...status.reasons], head: status.head, projections: [...status.projections] };
  }
}
