import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { parseProgramId, parseStandardCode, programDecider, programStream, standardDecider, standardStream, type StandardState } from '@ledger/domain';
import { PositionResponse, positionOf } from '../shared/command-responses';
import { EventSourcedRepository, loadOf } from '../shared/event-sourced-repository';
import { LaunchProgramCommand } from './launch-program.command';

@CommandHandler(LaunchProgramCommand)
export class LaunchProgramHandler implements ICommandHandler<LaunchProgramCommand> {
  constructor(private readonly repository: EventSourcedRepository) {}

  async execute({ caller, request }: LaunchProgramCommand): Promise<PositionResponse> {
    const programId = parseProgramId(request.programId);
    // The standards named are read in one go; the decider checks each is registered and active.
    const codes = [...new Set(request.standards.map((code) => parseStandardCode(code, 'standards')))];
    const loaded = await this.repository.loadEach(codes.map((code) => loadOf(standardStream(code), standardDecider)));
    const standardStates: Record<string, StandardState> = Object.fromEntries(codes.map((code, index) => [code, loaded[index].state]));
    const { position } = await this.repository.decideAndAppend(
      programStream(programId),
      programDecider,
      (_, metadata) => ({ type: 'LaunchProgram' as const, data: { ...request, programId, target: { ...request.target }, standardStates }, metadata }),
      caller,
    );
    return positionOf(position);
  }
}
