import { Body, Controller, Post } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiCreatedResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CallerOfCommand, type CommandCaller } from '../../platform/idempotency/command-caller';
import { CommandEndpoint } from '../shared/command-endpoint.decorator';
import { PositionResponse } from '../shared/command-responses';
import { LaunchProgramCommand } from './launch-program.command';
import { LaunchProgramRequest } from './launch-program.request.dto';

@ApiTags('programs')
@Controller('v1/programs')
export class LaunchProgramHttpController {
  constructor(private readonly commandBus: CommandBus) {}

  @Post()
  @CommandEndpoint(201, 'authority')
  @ApiOperation({ operationId: 'launchProgram', summary: 'LaunchProgram: a certification program with its jurisdiction, standards, period and target (authority)' })
  @ApiCreatedResponse({ type: PositionResponse, description: 'The program is launched' })
  launch(@Body() request: LaunchProgramRequest, @CallerOfCommand() caller: CommandCaller): Promise<PositionResponse> {
    return this.commandBus.execute(new LaunchProgramCommand(caller, request));
  }
}
