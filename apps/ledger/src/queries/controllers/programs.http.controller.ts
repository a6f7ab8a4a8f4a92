import { Controller, Get, Param } from '@nestjs/common';
import { ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import type { Actor } from '@ledger/domain';
import { ProgramQueries, type Page, type ProgramListItem, type ProgramProgressView } from '@ledger/read-models';
import { ProgramIdPipe } from '../../commands/shared/route-params';
import { CurrentActor } from '../../platform/auth/current-actor.decorator';
import { PROGRAM_ID_PARAM } from '../../platform/openapi/route-parameters';
import { PageQuery } from '../dto/read-query.dto';
import { ProgramListResponse, ProgramProgressQuery, ProgramProgressResponse } from '../dto/program.response';
import { QueryAnswer, QueryEndpoint } from '../query-endpoint.decorator';
import { QueryParameters } from '../read-your-writes.pipe';
import { stateScopeOf } from '../viewers';

@ApiTags('programs')
@Controller('v1/programs')
export class ProgramsHttpController {
  constructor(private readonly programs: ProgramQueries) {}

  @Get()
  @QueryEndpoint('comptroller')
  @QueryAnswer({ type: ProgramListResponse, description: 'Programs in the order they were launched, each with its progress as of today' })
  @ApiOperation({ operationId: 'listPrograms', summary: 'Certification programs, their terms and how far each has got (a scoped comptroller sees its state’s)' })
  list(@QueryParameters() query: PageQuery, @CurrentActor() actor: Actor): Promise<Page<ProgramListItem>> {
    return this.programs.list({ limit: query.limit, cursor: query.cursor }, stateScopeOf(actor));
  }

  @Get(':programId/progress')
  @ApiParam(PROGRAM_ID_PARAM)
  @QueryEndpoint('comptroller')
  @QueryAnswer({ type: ProgramProgressResponse, description: 'Certified so far, by month, against the target, and at the current pace' })
  @ApiOperation({
    operationId: 'getProgramProgress',
    summary: "A program's progress as it stood on asOf, as the ledger knew it at atPosition",
    description: 'Certificates of its standards issued in its period and jurisdiction count, less those revoked on or before asOf; each public servant once.',
  })
  progress(
    @Param('programId', ProgramIdPipe) programId: string,
    @QueryParameters() query: ProgramProgressQuery,
    @CurrentActor() actor: Actor,
  ): Promise<ProgramProgressView> {
    return this.programs.progress(programId, { asOf: query.asOf, atPosition: query.atPosition === undefined ? undefined : BigInt(query.atPosition) }, stateScopeOf(actor));
  }
}
