import { Command } from '@nestjs/cqrs';
import type { CommandCaller } from '../../platform/idempotency/command-caller';
import type { PositionResponse } from '../shared/command-responses';
import type { RevokeEvaluatorAccreditationRequest } from './revoke-evaluator-accreditation.request.dto';

export class RevokeEvaluatorAccreditationCommand extends Command<PositionResponse> {
  constructor(
    readonly caller: CommandCaller,
    readonly evaluatorId: string,
    readonly request: RevokeEvaluatorAccreditationRequest,
  ) {
    super();
  }
}
