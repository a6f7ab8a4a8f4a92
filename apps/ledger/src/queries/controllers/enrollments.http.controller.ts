import { Controller, Get, Param, Query } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Actor } from '@ledger/domain';
import { EnrollmentQueries, type EnrollmentView } from '@ledger/read-models';
import { CurrentActor } from '../../platform/auth/current-actor.decorator';
import { ReadQuery } from '../dto/read-query.dto';
import { QueryEndpoint } from '../query-endpoint.decorator';

@ApiTags('enrollments')
@Controller('v1/enrollments')
export class EnrollmentsHttpController {
  constructor(private readonly enrollments: EnrollmentQueries) {}

  @Get(':processId')
  @QueryEndpoint('comptroller', 'registrar', 'certifier')
  @ApiOperation({ summary: 'A certification process and its steps (registrars and certifiers: their own organization only)' })
  byProcessId(@Param('processId') processId: string, @Query() _query: ReadQuery, @CurrentActor() actor: Actor): Promise<EnrollmentView> {
    return this.enrollments.byProcessId(processId, actor);
  }
}
