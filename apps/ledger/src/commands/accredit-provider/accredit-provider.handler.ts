import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { providerDecider, providerStream } from '@ledger/domain';
import { PositionResponse, positionOf } from '../shared/command-responses';
import { EventSourcedRepository } from '../shared/event-sourced-repository';
import { AccreditProviderCommand } from './accredit-provider.command';

@CommandHandler(AccreditProviderCommand)
export class AccreditProviderHandler implements ICommandHandler<AccreditProviderCommand> {
  constructor(private readonly repository: EventSourcedRepository) {}

  async execute({ caller, request }: AccreditProviderCommand): Promise<PositionResponse> {
    const { position } = await this.repository.decideAndAppend(
      providerStream(request.providerId),
      providerDecider,
      (_, metadata) => ({ type: 'AccreditProvider' as const, data: { ...request }, metadata }),
      caller,
    );
    return positionOf(position);
  }
}
