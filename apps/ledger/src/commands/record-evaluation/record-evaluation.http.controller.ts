import { Body, Controller, Param, Post } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiCreatedResponse, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import { CallerOfCommand, type CommandCaller } from '../../platform/idempotency/command-caller';
import { PROCESS_ID_PARAM } from '../../platform/openapi/route-parameters';
import { CommandEndpoint } from '../shared/command-endpoint.decorator';
import { PositionResponse } from '../shared/command-responses';
import { processIdPipe } from '../shared/route-params';
import { RecordEvaluationCommand } from './record-evaluation.command';
import { RecordEvaluationRequest } from './record-evaluation.request.dto';

@ApiTags('enrollments')
@Controller('v1/enrollments/:processId/evaluations')
export class RecordEvaluationHttpController {
  constructor(private readonly commandBus: CommandBus) {}

  @Post()
  @ApiParam(PROCESS_ID_PARAM)
  @CommandEndpoint(201, 'evaluator')
  @ApiOperation({ operationId: 'recordEvaluation', summary: "RecordEvaluation: the evaluator's judgment of the candidate's evidence (the evaluator, acting as itself)" })
  @ApiCreatedResponse({ type: PositionResponse, description: 'The judgment is recorded' })
  record(
    @Param('processId', processIdPipe()) processId: string,
    @Body() request: RecordEvaluationRequest,
    @CallerOfCommand() caller: CommandCaller,
  ): Promise<PositionResponse> {
    return this.commandBus.execute(new RecordEvaluationCommand(caller, processId, request));
  }
}
