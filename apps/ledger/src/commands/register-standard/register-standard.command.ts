import { Command } from '@nestjs/cqrs';
import type { CommandCaller } from '../../platform/idempotency/command-caller';
import type { PositionResponse } from '../shared/command-responses';
import type { RegisterStandardRequest } from './register-standard.request.dto';

export class RegisterStandardCommand extends Command<PositionResponse> {
  constructor(
    readonly caller: CommandCaller,
    readonly request: RegisterStandardRequest,
  ) {
    super();
  }
}
