import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { Curp, evaluatorDecider, evaluatorStream, personDecider, personStream } from '@ledger/domain';
import { PositionResponse, positionOf } from '../shared/command-responses';
import { withConcurrencyRetry } from '../shared/concurrency-retry';
import { EventSourcedRepository, eventsOfCommand, lastPositionOf } from '../shared/event-sourced-repository';
import { SubjectIds } from '../shared/keyed-ids';
import { AccreditEvaluatorCommand } from './accredit-evaluator.command';

/**
 * Two streams: the evaluator's CURP and name go to `person-{subjectId}`
 * (registered if new; a no-op otherwise), the credential to
 * `evaluator-{evaluatorId}`. Both decisions are taken before either append,
 * so a refused credential registers nobody. A crash between the appends is
 * harmless: registration is idempotent and the retry completes the credential.
 */
@CommandHandler(AccreditEvaluatorCommand)
export class AccreditEvaluatorHandler implements ICommandHandler<AccreditEvaluatorCommand> {
  constructor(
    private readonly repository: EventSourcedRepository,
    private readonly subjectIds: SubjectIds,
  ) {}

  async execute({ caller, request }: AccreditEvaluatorCommand): Promise<PositionResponse> {
    const curp = Curp.parse(request.curp);
    const { curp: _, fullName, ...credential } = request;
    return withConcurrencyRetry(async () => {
      // Inside the retry: an erasure that wins the race moves the CURP to its next subject.
      const subjectId = await this.subjectIds.current(curp);
      const [person, evaluator] = await Promise.all([
        this.repository.load(personStream(subjectId), personDecider),
        this.repository.load(evaluatorStream(request.evaluatorId), evaluatorDecider),
      ]);
      const done = eventsOfCommand(evaluator, caller.commandId);
      if (done.length > 0) return positionOf(done[done.length - 1].position);
      const metadata = this.repository.metadataFor(caller);
      const credentialEvents = evaluatorDecider.decide({ type: 'AccreditEvaluator', data: { ...credential, subjectId }, metadata }, evaluator.state);
      const personEvents = personDecider.decide({ type: 'RegisterPerson', data: { subjectId, curp: curp.value, fullName }, metadata }, person.state);
      if (personEvents.length > 0) await this.repository.append(person.streamId, personEvents, person.expectedRevision, caller);
      if (credentialEvents.length === 0) return positionOf(lastPositionOf(evaluator));
      return positionOf(await this.repository.append(evaluator.streamId, credentialEvents, evaluator.expectedRevision, caller));
    });
  }
}
