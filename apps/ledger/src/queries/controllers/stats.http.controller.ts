import { Controller, Get } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Actor } from '@ledger/domain';
import { CertificationStatsQueries, parseGroupBy, type CertificationStats } from '@ledger/read-models';
import { CurrentActor } from '../../platform/auth/current-actor.decorator';
import { certificateFiltersOf, CertificationStatsQuery } from '../dto/certificate-filters.query.dto';
import { CertificationStatsResponse } from '../dto/stats.response';
import { QueryAnswer, QueryEndpoint } from '../query-endpoint.decorator';
import { QueryParameters } from '../read-your-writes.pipe';
import { certificateViewerOf } from '../viewers';

@ApiTags('stats')
@Controller('v1/stats')
export class StatsHttpController {
  constructor(private readonly stats: CertificationStatsQueries) {}

  @Get('certifications')
  @QueryEndpoint('comptroller')
  @QueryAnswer({ type: CertificationStatsResponse, description: 'Counts per group, and the position they stand at' })
  @ApiOperation({
    operationId: 'getCertificationStats',
    summary: 'Certificate counts grouped by the dimensions in groupBy (keys in that order), with the position they stand at',
  })
  certifications(@QueryParameters() query: CertificationStatsQuery, @CurrentActor() actor: Actor): Promise<CertificationStats> {
    return this.stats.count(parseGroupBy(query.groupBy), certificateFiltersOf(query), certificateViewerOf(actor));
  }
}
