import { Controller, Get, Param, Query } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { AuditQueries, type Page, type TimelineEntryView } from '@ledger/read-models';
import { PageQuery } from '../dto/read-query.dto';
import { QueryEndpoint } from '../query-endpoint.decorator';

@ApiTags('people')
@Controller('v1/people')
export class PeopleHttpController {
  constructor(private readonly audit: AuditQueries) {}

  @Get(':subjectId/timeline')
  @QueryEndpoint('comptroller')
  @ApiOperation({ summary: 'Every event about a person, in order, with actor and time; no personal data' })
  timeline(@Param('subjectId') subjectId: string, @Query() query: PageQuery): Promise<Page<TimelineEntryView>> {
    return this.audit.timeline(subjectId, query);
  }
}
