import { Controller, Get, Param } from '@nestjs/common';
import { ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import type { Actor } from '@ledger/domain';
import { EnrollmentQueries, type EnrollmentView } from '@ledger/read-models';
import { RecordsAccess } from '../../access-log/access-log.interceptor';
import { processIdPipe } from '../../commands/shared/route-params';
import { CurrentActor } from '../../platform/auth/current-actor.decorator';
import { PROCESS_ID_PARAM } from '../../platform/openapi/route-parameters';
import { EnrollmentViewResponse } from '../dto/enrollment.response';
import { ReadQuery } from '../dto/read-query.dto';
import { QueryAnswer, QueryEndpoint } from '../query-endpoint.decorator';
import { QueryParameters } from '../read-your-writes.pipe';

@ApiTags('enrollments')
@Controller('v1/enrollments')
export class EnrollmentsHttpController {
  constructor(private readonly enrollments: EnrollmentQueries) {}

  @Get(':processId')
  @ApiParam(PROCESS_ID_PARAM)
  @RecordsAccess((enrollment: EnrollmentView) => [enrollment.subjectId])
  @QueryEndpoint('comptroller', 'registrar', 'certifier')
  @QueryAnswer({
    type: EnrollmentViewResponse,
    description: 'The process, its state and its steps',
    notFound: "PROCESS_NOT_FOUND: no process with this id (or not the caller's organization's)",
  })
  @ApiOperation({
    operationId: 'getEnrollment',
    summary: 'A certification process and its steps (registrars and certifiers: their own organization only)',
  })
  byProcessId(@Param('processId', processIdPipe()) processId: string, @QueryParameters() _query: ReadQuery, @CurrentActor() actor: Actor): Promise<EnrollmentView> {
    return this.enrollments.byProcessId(processId, actor);
  }
}
