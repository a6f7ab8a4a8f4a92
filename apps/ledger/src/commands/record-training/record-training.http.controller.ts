import { Body, Controller, Param, Post } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiCreatedResponse, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import { CallerOfCommand, type CommandCaller } from '../../platform/idempotency/command-caller';
import { PROCESS_ID_PARAM } from '../../platform/openapi/route-parameters';
import { CommandEndpoint } from '../shared/command-endpoint.decorator';
import { PositionResponse } from '../shared/command-responses';
import { processIdPipe } from '../shared/route-params';
import { RecordTrainingCommand } from './record-training.command';
import { RecordTrainingRequest } from './record-training.request.dto';

@ApiTags('enrollments')
@Controller('v1/enrollments/:processId/trainings')
export class RecordTrainingHttpController {
  constructor(private readonly commandBus: CommandBus) {}

  @Post()
  @ApiParam(PROCESS_ID_PARAM)
  @CommandEndpoint(201, 'registrar')
  @ApiOperation({ operationId: 'recordTraining', summary: 'RecordTraining: record training hours delivered to the candidate (registrar of the enrolling organization)' })
  @ApiCreatedResponse({ type: PositionResponse, description: 'The training is recorded' })
  record(
    @Param('processId', processIdPipe()) processId: string,
    @Body() request: RecordTrainingRequest,
    @CallerOfCommand() caller: CommandCaller,
  ): Promise<PositionResponse> {
    return this.commandBus.execute(new RecordTrainingCommand(caller, processId, request));
  }
}
