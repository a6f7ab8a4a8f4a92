import { Controller, Get, Param, Query } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { AccreditationQueries, type AccreditationStanding } from '@ledger/read-models';
import { EvaluatorAccreditationQuery } from '../dto/audit-events.query.dto';
import { QueryEndpoint } from '../query-endpoint.decorator';

@ApiTags('evaluators')
@Controller('v1/evaluators')
export class EvaluatorsHttpController {
  constructor(private readonly accreditations: AccreditationQueries) {}

  @Get(':evaluatorId/accreditations')
  @QueryEndpoint('comptroller')
  @ApiOperation({ summary: 'Was the evaluator accredited for the standard on that date, and with which credential folio' })
  standing(@Param('evaluatorId') evaluatorId: string, @Query() query: EvaluatorAccreditationQuery): Promise<AccreditationStanding> {
    return this.accreditations.evaluatorOn(evaluatorId, query.standard, query.on);
  }
}
