import { Command } from '@nestjs/cqrs';
import type { CommandCaller } from '../../platform/idempotency/command-caller';
import type { PositionResponse } from '../shared/command-responses';
import type { AccreditEvaluatorRequest } from './accredit-evaluator.request.dto';

export class AccreditEvaluatorCommand extends Command<PositionResponse> {
  constructor(
    readonly caller: CommandCaller,
    readonly request: AccreditEvaluatorRequest,
  ) {
    super();
  }
}
