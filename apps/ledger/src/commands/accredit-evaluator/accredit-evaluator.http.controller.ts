import { Body, Controller, Post } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiCreatedResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CallerOfCommand, type CommandCaller } from '../../platform/idempotency/command-caller';
import { CommandEndpoint } from '../shared/command-endpoint.decorator';
import { PositionResponse } from '../shared/command-responses';
import { AccreditEvaluatorCommand } from './accredit-evaluator.command';
import { AccreditEvaluatorRequest } from './accredit-evaluator.request.dto';

@ApiTags('evaluators')
@Controller('v1/evaluators')
export class AccreditEvaluatorHttpController {
  constructor(private readonly commandBus: CommandBus) {}

  @Post()
  @CommandEndpoint(201, 'certifier')
  @ApiOperation({ operationId: 'accreditEvaluator', summary: "AccreditEvaluator: issue an evaluator's credential for standards (certifier of the provider)" })
  @ApiCreatedResponse({ type: PositionResponse, description: 'The credential is recorded' })
  accredit(@Body() request: AccreditEvaluatorRequest, @CallerOfCommand() caller: CommandCaller): Promise<PositionResponse> {
    return this.commandBus.execute(new AccreditEvaluatorCommand(caller, request));
  }
}
