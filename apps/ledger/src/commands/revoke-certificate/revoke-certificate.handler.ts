import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { certificationDecider, certificationStream, DomainError, Folio, folioDecider, folioStream } from '@ledger/domain';
import { PositionResponse, positionOf } from '../shared/command-responses';
import { EventSourcedRepository } from '../shared/event-sourced-repository';
import { RevokeCertificateCommand } from './revoke-certificate.command';

/** The folio stream leads from the folio to its process; the revocation is decided on the process. */
@CommandHandler(RevokeCertificateCommand)
export class RevokeCertificateHandler implements ICommandHandler<RevokeCertificateCommand> {
  constructor(private readonly repository: EventSourcedRepository) {}

  async execute({ caller, folio: typed, request }: RevokeCertificateCommand): Promise<PositionResponse> {
    const folio = Folio.parse(typed).value;
    const { state: assignment } = await this.repository.load(folioStream(folio), folioDecider);
    if (assignment.status !== 'assigned') throw new DomainError('CERTIFICATE_NOT_FOUND', 'no certificate has this folio', { folio });
    const { processId } = assignment;
    const { position } = await this.repository.decideAndAppend(
      certificationStream(processId),
      certificationDecider,
      (_, metadata) => ({ type: 'RevokeCertificate' as const, data: { processId, folio, ...request }, metadata }),
      caller,
    );
    return positionOf(position);
  }
}
