import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { evaluatorDecider, evaluatorStream } from '@ledger/domain';
import { PositionResponse, positionOf } from '../shared/command-responses';
import { EventSourcedRepository } from '../shared/event-sourced-repository';
import { RevokeEvaluatorAccreditationCommand } from './revoke-evaluator-accreditation.command';

@CommandHandler(RevokeEvaluatorAccreditationCommand)
export class RevokeEvaluatorAccreditationHandler implements ICommandHandler<RevokeEvaluatorAccreditationCommand> {
  constructor(private readonly repository: EventSourcedRepository) {}

  async execute({ caller, evaluatorId, request }: RevokeEvaluatorAccreditationCommand): Promise<PositionResponse> {
    const { position } = await this.repository.decideAndAppend(
      evaluatorStream(evaluatorId),
      evaluatorDecider,
      (_, metadata) => ({ type: 'RevokeEvaluatorAccreditation' as const, data: { evaluatorId, ...request }, metadata }),
      caller,
    );
    return positionOf(position);
  }
}
