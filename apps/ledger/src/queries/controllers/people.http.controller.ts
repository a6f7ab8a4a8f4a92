import { Controller, Get, Param } from '@nestjs/common';
import { ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import type { Actor } from '@ledger/domain';
import { AuditQueries, type Page, type TimelineEntryView } from '@ledger/read-models';
import { CurrentActor } from '../../platform/auth/current-actor.decorator';
import { RecordsAccess } from '../../access-log/access-log.interceptor';
import { SubjectIdPipe } from '../../commands/shared/route-params';
import { SUBJECT_ID_PARAM } from '../../platform/openapi/route-parameters';
import { TimelinePageResponse } from '../dto/audit.response';
import { PageQuery } from '../dto/read-query.dto';
import { QueryAnswer, QueryEndpoint } from '../query-endpoint.decorator';
import { QueryParameters } from '../read-your-writes.pipe';
import { stateScopeOf } from '../viewers';

@ApiTags('people')
@Controller('v1/people')
export class PeopleHttpController {
  constructor(private readonly audit: AuditQueries) {}

  @Get(':subjectId/timeline')
  @ApiParam(SUBJECT_ID_PARAM)
  // A timeline is the person's history: the subject is shown whatever the page holds.
  @RecordsAccess((_page: Page<TimelineEntryView>, params) => [params.subjectId])
  @QueryEndpoint('comptroller')
  @QueryAnswer({
    type: TimelinePageResponse,
    description: 'A page of the events about the person, in log order',
    notFound: 'PERSON_NOT_FOUND: the ledger holds no event about this subjectId',
  })
  @ApiOperation({ operationId: 'getPersonTimeline', summary: 'Every event about a person, in order, with actor and time; no personal data' })
  timeline(@Param('subjectId', SubjectIdPipe) subjectId: string, @QueryParameters() query: PageQuery, @CurrentActor() actor: Actor): Promise<Page<TimelineEntryView>> {
    return this.audit.timeline(subjectId, query, stateScopeOf(actor));
  }
}
