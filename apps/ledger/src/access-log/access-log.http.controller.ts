import { Controller, Get, Inject, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { Pool } from 'pg';
import type { Page } from '@ledger/read-models';
import type { Actor } from '@ledger/domain';
import { CurrentActor } from '../platform/auth/current-actor.decorator';
import { Roles } from '../platform/auth/roles.decorator';
import { PG_POOL } from '../platform/config/config.tokens';
import { BEARER_SCHEME } from '../platform/openapi/openapi';
import { HEADERS_TOO_LARGE_ANSWER, problemAnswer, RATE_LIMITED_ANSWER, RETRY_AFTER_HEADER, UNAUTHENTICATED_ANSWER } from '../platform/openapi/openapi-answers';
import { AccessLogQuery } from './access-log.query.dto';
import { AccessLogPageResponse } from './access-log.response';
import { listAccessLog, type AccessLogEntryView } from './access-log.store';
import { stateScopeOf } from '../queries/viewers';

@ApiTags('audit')
@Controller('v1/audit/access')
export class AccessLogHttpController {
  constructor(@Inject(PG_POOL) private readonly pool: Pool) {}

  @Get()
  @Roles('privacy', 'comptroller')
  @ApiBearerAuth(BEARER_SCHEME)
  @ApiOkResponse({ type: AccessLogPageResponse, description: 'A page of the access log, in the order entries were written' })
  @ApiResponse(UNAUTHENTICATED_ANSWER)
  @ApiResponse(problemAnswer(403, 'ROLE_NOT_ALLOWED: only privacy, comptroller may ask'))
  @ApiResponse(RATE_LIMITED_ANSWER)
  @ApiResponse(problemAnswer(400, 'VALIDATION_FAILED naming each parameter (an unknown one included), or INVALID_FIELD / INVALID_CURSOR naming it'))
  @ApiResponse(HEADERS_TOO_LARGE_ANSWER)
  @ApiResponse(problemAnswer(503, 'STORE_UNAVAILABLE: the database cannot be reached. See Retry-After', RETRY_AFTER_HEADER))
  @ApiOperation({
    operationId: 'listAccessLog',
    summary: 'Who read whose personal data, when, through which route: one entry per answer, filtered',
    description:
      'Every answer that showed personal data (names in lists and details, enrollments, timelines, provenance, transparency reports, the ' +
      "privacy office's routes) is one entry: the reader (token subject, role, organization), the route pattern, the correlation id, the " +
      'time, and the subjectIds it showed (a list page: the subjects on that page). Never a CURP or a name. Entries are written in batches ' +
      'a few milliseconds after the answer. A comptroller scoped to a state sees the entries that showed people with a process in that state, ' +
      'each with those subjects only. minPosition is accepted like on every query and has nothing to wait for: the access log is not a read model.',
  })
  list(@Query() query: AccessLogQuery, @CurrentActor() actor: Actor): Promise<Page<AccessLogEntryView>> {
    const { subjectId, actorId, role, organizationId, route, correlationId, from, to } = query;
    return listAccessLog(this.pool, { subjectId, actorId, role, organizationId, route, correlationId, from, to }, query, stateScopeOf(actor));
  }
}
