import { Command } from '@nestjs/cqrs';
import type { CommandCaller } from '../../platform/idempotency/command-caller';
import type { PositionResponse } from '../shared/command-responses';
import type { RecordEvaluationRequest } from './record-evaluation.request.dto';

export class RecordEvaluationCommand extends Command<PositionResponse> {
  constructor(
    readonly caller: CommandCaller,
    readonly processId: string,
    readonly request: RecordEvaluationRequest,
  ) {
    super();
  }
}
