import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { certificationDecider, certificationStream } from '@ledger/domain';
import { PositionResponse, positionOf } from '../shared/command-responses';
import { EventSourcedRepository } from '../shared/event-sourced-repository';
import { RecordTrainingCommand } from './record-training.command';

@CommandHandler(RecordTrainingCommand)
export class RecordTrainingHandler implements ICommandHandler<RecordTrainingCommand> {
  constructor(private readonly repository: EventSourcedRepository) {}

  async execute({ caller, processId, request }: RecordTrainingCommand): Promise<PositionResponse> {
    const { position } = await this.repository.decideAndAppend(
      certificationStream(processId),
      certificationDecider,
      (_, metadata) => ({ type: 'RecordTraining' as const, data: { processId, ...request }, metadata }),
      caller,
    );
    return positionOf(position);
  }
}
