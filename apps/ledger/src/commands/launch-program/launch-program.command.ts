import { Command } from '@nestjs/cqrs';
import type { CommandCaller } from '../../platform/idempotency/command-caller';
import type { PositionResponse } from '../shared/command-responses';
import type { LaunchProgramRequest } from './launch-program.request.dto';

export class LaunchProgramCommand extends Command<PositionResponse> {
  constructor(
    readonly caller: CommandCaller,
    readonly request: LaunchProgramRequest,
  ) {
    super();
  }
}
