import { Body, Controller, Post } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiCreatedResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CallerOfCommand, type CommandCaller } from '../../platform/idempotency/command-caller';
import { CommandEndpoint } from '../shared/command-endpoint.decorator';
import { PositionResponse } from '../shared/command-responses';
import { RegisterStandardCommand } from './register-standard.command';
import { RegisterStandardRequest } from './register-standard.request.dto';

@ApiTags('standards')
@Controller('v1/standards')
export class RegisterStandardHttpController {
  constructor(private readonly commandBus: CommandBus) {}

  @Post()
  @CommandEndpoint(201, 'authority')
  @ApiOperation({ operationId: 'registerStandard', summary: 'RegisterStandard: publish a competency standard (authority)' })
  @ApiCreatedResponse({ type: PositionResponse, description: 'The standard is registered' })
  register(@Body() request: RegisterStandardRequest, @CallerOfCommand() caller: CommandCaller): Promise<PositionResponse> {
    return this.commandBus.execute(new RegisterStandardCommand(caller, request));
  }
}
