import { Body, Controller, Param, Post } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiCreatedResponse, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import { CallerOfCommand, type CommandCaller } from '../../platform/idempotency/command-caller';
import { PROGRAM_ID_PARAM } from '../../platform/openapi/route-parameters';
import { CommandEndpoint } from '../shared/command-endpoint.decorator';
import { PositionResponse } from '../shared/command-responses';
import { ProgramIdPipe } from '../shared/route-params';
import { ChangeProgramTargetCommand, ExtendProgramPeriodCommand } from './amend-program.command';
import { ChangeProgramTargetRequest, ExtendProgramPeriodRequest } from './amend-program.request.dto';

/** Amendments of a program: each a new event with its reason; the program's history keeps every earlier term. */
@ApiTags('programs')
@Controller('v1/programs/:programId')
export class AmendProgramHttpController {
  constructor(private readonly commandBus: CommandBus) {}

  @Post('target-changes')
  @ApiParam(PROGRAM_ID_PARAM)
  @CommandEndpoint(201, 'authority')
  @ApiOperation({ operationId: 'changeProgramTarget', summary: "ChangeProgramTarget: a program's new target, with the reason (authority)" })
  @ApiCreatedResponse({ type: PositionResponse, description: 'The target is changed' })
  changeTarget(
    @Param('programId', ProgramIdPipe) programId: string,
    @Body() request: ChangeProgramTargetRequest,
    @CallerOfCommand() caller: CommandCaller,
  ): Promise<PositionResponse> {
    return this.commandBus.execute(new ChangeProgramTargetCommand(caller, programId, request));
  }

  @Post('period-extensions')
  @ApiParam(PROGRAM_ID_PARAM)
  @CommandEndpoint(201, 'authority')
  @ApiOperation({ operationId: 'extendProgramPeriod', summary: 'ExtendProgramPeriod: a program runs until a later day, with the reason (authority)' })
  @ApiCreatedResponse({ type: PositionResponse, description: 'The period is extended' })
  extendPeriod(
    @Param('programId', ProgramIdPipe) programId: string,
    @Body() request: ExtendProgramPeriodRequest,
    @CallerOfCommand() caller: CommandCaller,
  ): Promise<PositionResponse> {
    return this.commandBus.execute(new ExtendProgramPeriodCommand(caller, programId, request));
  }
}
