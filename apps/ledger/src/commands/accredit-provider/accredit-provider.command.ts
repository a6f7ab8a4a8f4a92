import { Command } from '@nestjs/cqrs';
import type { CommandCaller } from '../../platform/idempotency/command-caller';
import type { PositionResponse } from '../shared/command-responses';
import type { AccreditProviderRequest } from './accredit-provider.request.dto';

export class AccreditProviderCommand extends Command<PositionResponse> {
  constructor(
    readonly caller: CommandCaller,
    readonly request: AccreditProviderRequest,
  ) {
    super();
  }
}
