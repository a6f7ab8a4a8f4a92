import { Command } from '@nestjs/cqrs';
import type { CommandCaller } from '../../platform/idempotency/command-caller';
import type { PositionResponse } from '../shared/command-responses';
import type { ChangeProgramTargetRequest, ExtendProgramPeriodRequest } from './amend-program.request.dto';

export class ChangeProgramTargetCommand extends Command<PositionResponse> {
  constructor(
    readonly caller: CommandCaller,
    readonly programId: string,
    readonly request: ChangeProgramTargetRequest,
  ) {
    super();
  }
}

export class ExtendProgramPeriodCommand extends Command<PositionResponse> {
  constructor(
    readonly caller: CommandCaller,
    readonly programId: string,
    readonly request: ExtendProgramPeriodRequest,
  ) {
    super();
  }
}
