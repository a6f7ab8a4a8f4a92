import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import {
  certificationDecider,
  certificationStream,
  folioDecider,
  folioStream,
  isDomainError,
  type CertificationState,
  type CommandMetadata,
} from '@ledger/domain';
import type { CommandCaller } from '../../platform/idempotency/command-caller';
import { withConcurrencyRetry } from '../shared/concurrency-retry';
import { EventSourcedRepository, type LoadedStream } from '../shared/event-sourced-repository';
import { FolioCandidates } from '../shared/keyed-ids';
import { CertificateResponse, IssueCertificateCommand, type ImportedIssuance } from './issue-certificate.command';

/** Folios have 60 random-looking bits: a second candidate is already a curiosity; this is only a bound. */
const MAX_FOLIO_ATTEMPTS = 8;

/**
 * Issuance spans two streams. The folio is reserved first on `folio-{folio}`
 * (created with `no_stream`: a folio can belong to one process only, and the
 * stream is how a folio leads back to its process), then CertificateIssued
 * goes to the certification stream at the revision read. Folio candidates are
 * HMAC(folio key, processId:attempt), so every attempt for one process, and
 * every concurrent request for it, proposes the same folio: twenty concurrent
 * requests agree on it, one of them appends CertificateIssued, and the
 * others, retried on the revision conflict, find the certificate issued and
 * answer with it. A crash between the two appends leaves a reserved folio
 * that the next request for the process reserves again (a no-op) and uses.
 */
@CommandHandler(IssueCertificateCommand)
export class IssueCertificateHandler implements ICommandHandler<IssueCertificateCommand> {
  constructor(
    private readonly repository: EventSourcedRepository,
    private readonly folios: FolioCandidates,
  ) {}

  execute({ caller, processId, request, imported }: IssueCertificateCommand): Promise<CertificateResponse> {
    return withConcurrencyRetry(() => this.issue(caller, processId, request.issuedAt, imported));
  }

  private async issue(caller: CommandCaller, processId: string, issuedAt: string | undefined, imported?: ImportedIssuance): Promise<CertificateResponse> {
    const certification = await this.repository.load(certificationStream(processId), certificationDecider);
    const metadata = this.repository.metadataFor(caller);
    const decideWith = (folio: string) =>
      certificationDecider.decide({ type: 'IssueCertificate', data: { processId, folio, issuedAt, ...imported }, metadata }, certification.state);
    const state = certification.state;
    if (state.status === 'certified' || state.status === 'revoked') {
      decideWith(state.certificate.folio); // the domain answers "already done" or says why not
      return issuedResponse(certification);
    }
    // Refuse before reserving anything: a rejected request must not consume a folio.
    decideWith(this.folios.candidate(processId, 0).value);
    const folio = await this.reserveFolio(processId, issuedAt, caller, metadata);
    const events = decideWith(folio);
    const position = await this.repository.append(certification.streamId, events, certification.expectedRevision, caller);
    return { folio, validUntil: validUntilOf(events.reduce(certificationDecider.evolve, state)), position: position.toString() };
  }

  /** The first candidate folio that is free or already this process's. */
  private async reserveFolio(processId: string, assignedAt: string | undefined, caller: CommandCaller, metadata: CommandMetadata): Promise<string> {
    for (let attempt = 0; attempt < MAX_FOLIO_ATTEMPTS; attempt += 1) {
      const folio = this.folios.candidate(processId, attempt).value;
      const reservation = await this.repository.load(folioStream(folio), folioDecider);
      try {
        const events = folioDecider.decide({ type: 'AssignFolio', data: { folio, processId, assignedAt }, metadata }, reservation.state);
        if (events.length > 0) await this.repository.append(reservation.streamId, events, reservation.expectedRevision, caller);
        return folio;
      } catch (error) {
        if (isDomainError(error) && error.code === 'FOLIO_ALREADY_ASSIGNED') continue;
        throw error;
      }
    }
    throw new Error(`No free folio for process ${processId} after ${MAX_FOLIO_ATTEMPTS} candidates`);
  }
}

function validUntilOf(state: CertificationState): string {
  if (state.status !== 'certified') throw new Error(`expected a certified process after issuance, got ${state.status}`);
  return state.certificate.validUntil;
}

/** The answer for a certificate already on the stream (issuing twice yields the same folio). */
function issuedResponse(certification: LoadedStream<CertificationState>): CertificateResponse {
  const issued = certification.recorded.find((event) => event.type === 'CertificateIssued');
  const data = issued?.data as { folio: string; validUntil: string } | undefined;
  if (!issued || !data) throw new Error(`process ${certification.streamId} has a certificate but no CertificateIssued event`);
  return { folio: data.folio, validUntil: data.validUntil, position: issued.position.toString() };
}
