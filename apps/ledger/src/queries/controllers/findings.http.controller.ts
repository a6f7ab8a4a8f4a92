import { Controller, Get } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Actor } from '@ledger/domain';
import { FindingQueries, type FindingView, type Page } from '@ledger/read-models';
import { CurrentActor } from '../../platform/auth/current-actor.decorator';
import { FindingListResponse, FindingsQuery } from '../dto/finding.response';
import { QueryAnswer, QueryEndpoint } from '../query-endpoint.decorator';
import { QueryParameters } from '../read-your-writes.pipe';
import { stateScopeOf } from '../viewers';

@ApiTags('audit')
@Controller('v1/audit/findings')
export class FindingsHttpController {
  constructor(private readonly findings: FindingQueries) {}

  @Get()
  @QueryEndpoint('comptroller')
  @QueryAnswer({ type: FindingListResponse, description: 'Findings in the order they were raised' })
  @ApiOperation({
    operationId: 'listAuditFindings',
    summary: 'Audit findings: patterns worth a look, each with the events that show it (a scoped comptroller sees those involving its state)',
  })
  list(@QueryParameters() query: FindingsQuery, @CurrentActor() actor: Actor): Promise<Page<FindingView>> {
    const { kind, severity, providerId, evaluatorId, from, to, limit, cursor } = query;
    return this.findings.list({ kind, severity, providerId, evaluatorId, from, to }, { limit, cursor }, stateScopeOf(actor));
  }
}
