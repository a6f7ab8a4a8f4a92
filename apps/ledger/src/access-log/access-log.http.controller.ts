import { Controller, Get, Inject } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { DataSource } from 'typeorm';
import type { Actor } from '@ledger/domain';
import { inReadSnapshot, type Page } from '@ledger/read-models';
import { CurrentActor } from '../platform/auth/current-actor.decorator';
import { LEDGER_POSITION_HEADER } from '../platform/openapi/openapi-answers';
import { QueryEndpoint } from '../queries/query-endpoint.decorator';
import { READ_MODELS } from '../queries/read-side.tokens';
import { QueryParameters } from '../queries/read-your-writes.pipe';
import { stateScopeOf } from '../queries/viewers';
import { AccessLogQuery } from './access-log.query.dto';
import { AccessLogPageResponse } from './access-log.response';
import { listAccessLog, type AccessLogEntryView } from './access-log.store';

@ApiTags('audit')
@Controller('v1/audit/access')
export class AccessLogHttpController {
  constructor(@Inject(READ_MODELS) private readonly readModels: DataSource) {}

  @Get()
  @QueryEndpoint('privacy', 'comptroller')
  @ApiOkResponse({ type: AccessLogPageResponse, description: 'A page of the access log, in the order entries were written', headers: LEDGER_POSITION_HEADER })
  @ApiOperation({
    operationId: 'listAccessLog',
    summary: 'Who read whose personal data, when, through which route: one entry per answer, filtered',
    description:
      'Every answer that showed personal data (names in lists and details, enrollments, timelines, provenance, transparency reports, the ' +
      "privacy office's routes) is one entry: the reader (token subject, role, organization), the route pattern, the correlation id, the " +
      'time, and the subjectIds it showed (a list page: the subjects on that page). Never a CURP or a name. Entries are written in batches ' +
      'a few milliseconds after the answer. A comptroller scoped to a state sees the entries that showed people with a process in that state, ' +
      'each with those subjects only. Like every query it waits for minPosition and names the position it was read at (that of the processes a scope is read from).',
  })
  list(@QueryParameters() query: AccessLogQuery, @CurrentActor() actor: Actor): Promise<Page<AccessLogEntryView>> {
    const { subjectId, actorId, role, organizationId, route, correlationId, from, to } = query;
    // In the read side's snapshot, like every query: the answer names its position, and a scope's processes are those of that position.
    return inReadSnapshot(this.readModels, ['certification'], (reader) =>
      listAccessLog(
        { query: async <R>(sql: string, values: unknown[]) => ({ rows: (await reader.query(sql, values)) as R[] }) },
        { subjectId, actorId, role, organizationId, route, correlationId, from, to },
        query,
        stateScopeOf(actor),
      ),
    );
  }
}
