import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { parseStandardCode, standardDecider, standardStream } from '@ledger/domain';
import { PositionResponse, positionOf } from '../shared/command-responses';
import { EventSourcedRepository } from '../shared/event-sourced-repository';
import { RegisterStandardCommand } from './register-standard.command';

@CommandHandler(RegisterStandardCommand)
export class RegisterStandardHandler implements ICommandHandler<RegisterStandardCommand> {
  constructor(private readonly repository: EventSourcedRepository) {}

  async execute({ caller, request }: RegisterStandardCommand): Promise<PositionResponse> {
    // The stream is named by the canonical code, so `ec0105` and `EC0105` are one standard.
    const code = parseStandardCode(request.code, 'code');
    const { position } = await this.repository.decideAndAppend(
      standardStream(code),
      standardDecider,
      (_, metadata) => ({ type: 'RegisterStandard' as const, data: { ...request, code }, metadata }),
      caller,
    );
    return positionOf(position);
  }
}
