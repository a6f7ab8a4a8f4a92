import { Body, Controller, Post } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiCreatedResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CallerOfCommand, type CommandCaller } from '../../platform/idempotency/command-caller';
import { CommandEndpoint } from '../shared/command-endpoint.decorator';
import { PositionResponse } from '../shared/command-responses';
import { AccreditProviderCommand } from './accredit-provider.command';
import { AccreditProviderRequest } from './accredit-provider.request.dto';

@ApiTags('providers')
@Controller('v1/providers')
export class AccreditProviderHttpController {
  constructor(private readonly commandBus: CommandBus) {}

  @Post()
  @CommandEndpoint(201, 'authority')
  @ApiOperation({ operationId: 'accreditProvider', summary: 'AccreditProvider: accredit (or renew) an ECE, OC or CE for standards over a period (authority)' })
  @ApiCreatedResponse({ type: PositionResponse, description: 'The accreditation is recorded' })
  accredit(@Body() request: AccreditProviderRequest, @CallerOfCommand() caller: CommandCaller): Promise<PositionResponse> {
    return this.commandBus.execute(new AccreditProviderCommand(caller, request));
  }
}
