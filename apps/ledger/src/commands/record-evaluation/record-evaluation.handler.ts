import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { certificationDecider, certificationStream, evaluatorDecider, evaluatorStream } from '@ledger/domain';
import { PositionResponse, positionOf } from '../shared/command-responses';
import { EventSourcedRepository } from '../shared/event-sourced-repository';
import { RecordEvaluationCommand } from './record-evaluation.command';

/**
 * The evaluator acts as itself: its id is the token's subject, and its
 * credentials are read from `evaluator-{id}` for the domain to check on the
 * evaluation date. Only the certification stream is written.
 */
@CommandHandler(RecordEvaluationCommand)
export class RecordEvaluationHandler implements ICommandHandler<RecordEvaluationCommand> {
  constructor(private readonly repository: EventSourcedRepository) {}

  async execute({ caller, processId, request }: RecordEvaluationCommand): Promise<PositionResponse> {
    const evaluatorId = caller.actor.id;
    const { state: evaluator } = await this.repository.load(evaluatorStream(evaluatorId), evaluatorDecider);
    const { position } = await this.repository.decideAndAppend(
      certificationStream(processId),
      certificationDecider,
      (_, metadata) => ({
        type: 'RecordEvaluation' as const,
        data: {
          processId,
          evaluatorId,
          result: request.result,
          evidenceDigest: request.evidenceDigest,
          evaluatedAt: request.evaluatedAt,
          // Only `ledger import` builds a request with a run; the API's validation refuses the field.
          importRun: 'importRun' in request ? request.importRun : undefined,
          evaluator,
        },
        metadata,
      }),
      caller,
    );
    return positionOf(position);
  }
}
