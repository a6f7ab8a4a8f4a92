import { Controller, Get, Param } from '@nestjs/common';
import { ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import { AccreditationQueries, type AccreditationStanding } from '@ledger/read-models';
import { IdentifierPipe } from '../../commands/shared/route-params';
import { EVALUATOR_ID_PARAM } from '../../platform/openapi/route-parameters';
import { AccreditationStandingResponse } from '../dto/accreditation.response';
import { EvaluatorAccreditationQuery } from '../dto/audit-events.query.dto';
import { QueryAnswer, QueryEndpoint } from '../query-endpoint.decorator';
import { QueryParameters } from '../read-your-writes.pipe';

@ApiTags('evaluators')
@Controller('v1/evaluators')
export class EvaluatorsHttpController {
  constructor(private readonly accreditations: AccreditationQueries) {}

  // No 404: an evaluator the registry does not know was simply not accredited.
  @Get(':evaluatorId/accreditations')
  @ApiParam(EVALUATOR_ID_PARAM)
  @QueryEndpoint('comptroller')
  @QueryAnswer({ type: AccreditationStandingResponse, description: 'The standing, and the credential that applied' })
  @ApiOperation({
    operationId: 'getEvaluatorAccreditation',
    summary: 'Was the evaluator accredited for the standard on that date, and with which credential folio',
  })
  standing(
    @Param('evaluatorId', new IdentifierPipe('evaluatorId')) evaluatorId: string,
    @QueryParameters() query: EvaluatorAccreditationQuery,
  ): Promise<AccreditationStanding> {
    return this.accreditations.evaluatorOn(evaluatorId, query.standard, query.on);
  }
}
