import { Command } from '@nestjs/cqrs';
import type { CommandCaller } from '../../platform/idempotency/command-caller';
import type { PositionResponse } from '../shared/command-responses';
import type { RecordTrainingRequest } from './record-training.request.dto';

export class RecordTrainingCommand extends Command<PositionResponse> {
  constructor(
    readonly caller: CommandCaller,
    readonly processId: string,
    readonly request: RecordTrainingRequest,
  ) {
    super();
  }
}
