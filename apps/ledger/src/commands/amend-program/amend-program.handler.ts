import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { programDecider, programStream } from '@ledger/domain';
import { PositionResponse, positionOf } from '../shared/command-responses';
import { EventSourcedRepository } from '../shared/event-sourced-repository';
import { ChangeProgramTargetCommand, ExtendProgramPeriodCommand } from './amend-program.command';

@CommandHandler(ChangeProgramTargetCommand)
export class ChangeProgramTargetHandler implements ICommandHandler<ChangeProgramTargetCommand> {
  constructor(private readonly repository: EventSourcedRepository) {}

  async execute({ caller, programId, request }: ChangeProgramTargetCommand): Promise<PositionResponse> {
    const { position } = await this.repository.decideAndAppend(
      programStream(programId),
      programDecider,
      (_, metadata) => ({ type: 'ChangeProgramTarget' as const, data: { programId, target: { ...request.target }, reason: request.reason }, metadata }),
      caller,
    );
    return positionOf(position);
  }
}

@CommandHandler(ExtendProgramPeriodCommand)
export class ExtendProgramPeriodHandler implements ICommandHandler<ExtendProgramPeriodCommand> {
  constructor(private readonly repository: EventSourcedRepository) {}

  async execute({ caller, programId, request }: ExtendProgramPeriodCommand): Promise<PositionResponse> {
    const { position } = await this.repository.decideAndAppend(
      programStream(programId),
      programDecider,
      (_, metadata) => ({ type: 'ExtendProgramPeriod' as const, data: { programId, endsOn: request.endsOn, reason: request.reason }, metadata }),
      caller,
    );
    return positionOf(position);
  }
}
