import { Command } from '@nestjs/cqrs';
import type { CommandCaller } from '../../platform/idempotency/command-caller';
import type { PositionResponse } from '../shared/command-responses';
import type { RecordEvaluationRequest } from './record-evaluation.request.dto';

/** A judgment as `ledger import` brings it: its run, and the evidence digest only if the registry kept one. */
export interface ImportedJudgment extends Omit<RecordEvaluationRequest, 'evidenceDigest'> {
  readonly evidenceDigest?: string;
  readonly importRun: string;
}

export class RecordEvaluationCommand extends Command<PositionResponse> {
  constructor(
    readonly caller: CommandCaller,
    readonly processId: string,
    readonly request: RecordEvaluationRequest | ImportedJudgment,
  ) {
    super();
  }
}
