import { Inject, Injectable } from '@nestjs/common';
import { certificationDecider, certificationStream, Curp, DomainError, personDecider, personStream, type CertificationState, type PersonState } from '@ledger/domain';
import type { PersonalDataVault } from '@ledger/personal-data';
import type { CommandCaller } from '../platform/idempotency/command-caller';
import { EventSourcedRepository, type LoadedStream } from '../commands/shared/event-sourced-repository';
import { SubjectIds } from '../commands/shared/keyed-ids';
import { PERSONAL_DATA_VAULT } from './personal-data.module';
import type { ErasureResponse, PersonalDataResponse, PersonCertificateView, RectificationView } from './privacy.response';

/**
 * The privacy office's reads and writes, on the event log itself (not the
 * read models): the person stream opened by the vault, and the processes it
 * lists. The CURP is used only to derive the subject, never kept.
 */
@Injectable()
export class PrivacyOffice {
  constructor(
    private readonly repository: EventSourcedRepository,
    private readonly subjectIds: SubjectIds,
    @Inject(PERSONAL_DATA_VAULT) private readonly vault: PersonalDataVault,
  ) {}

  /** The CURP's current subject, if the ledger holds anything about it (an erased CURP not enrolled since holds nothing). */
  async lookup(curpText: string): Promise<{ subjectId: string }> {
    const subjectId = await this.subjectIds.current(Curp.parse(curpText, 'curp'));
    const person = await this.repository.load(personStream(subjectId), personDecider);
    if (person.state.status === 'unregistered') throw new DomainError('PERSON_NOT_FOUND', 'the ledger holds no personal data of this CURP');
    return { subjectId };
  }

  async personalData(subjectId: string): Promise<PersonalDataResponse> {
    const person = await this.loadPerson(subjectId);
    const state = person.state as Exclude<PersonState, { status: 'unregistered' }>;
    const certificates = await Promise.all(state.enrollments.map(({ processId }) => this.certificateOf(processId)));
    const erased = state.status === 'erased';
    return {
      subjectId,
      status: state.status,
      curp: erased ? null : (state.curp ?? null),
      fullName: erased ? null : (state.fullName ?? null),
      registeredAt: state.registeredAt,
      rectifications: rectificationsOf(person, erased),
      erasedAt: erased ? state.erasedAt : null,
      erasureRequestFolio: erased ? state.requestFolio : null,
      certificates: certificates.filter((view): view is PersonCertificateView => view !== undefined),
    };
  }

  async rectify(subjectId: string, request: { fullName: string; reason: string }, caller: CommandCaller): Promise<{ position: string }> {
    await this.loadPerson(subjectId);
    const { position } = await this.repository.decideAndAppend(
      personStream(subjectId),
      personDecider,
      (_, metadata) => ({ type: 'RectifyPersonalData' as const, data: { subjectId, fullName: request.fullName, reason: request.reason }, metadata }),
      caller,
    );
    return { position: position.toString() };
  }

  /**
   * Records the erasure in the log first (the acknowledged fact), then
   * destroys the key. A crash between the two leaves the event and the key:
   * the retry (same Idempotency-Key, so the same command) finds its event
   * and destroys the key; readers treat the stream as erased meanwhile.
   */
  async erase(subjectId: string, request: { reason: string; requestFolio: string }, caller: CommandCaller): Promise<ErasureResponse> {
    await this.loadPerson(subjectId);
    const { position } = await this.repository.decideAndAppend(
      personStream(subjectId),
      personDecider,
      (_, metadata) => ({ type: 'ErasePersonalData' as const, data: { subjectId, ...request }, metadata }),
      caller,
    );
    await this.vault.erase(subjectId);
    return { position: position.toString(), subjectId, keyDestroyed: true };
  }

  private async loadPerson(subjectId: string): Promise<LoadedStream<PersonState>> {
    const person = await this.repository.load(personStream(subjectId), personDecider);
    if (person.state.status === 'unregistered') throw new DomainError('PERSON_NOT_FOUND', 'no such person', { subjectId });
    return person;
  }

  private async certificateOf(processId: string): Promise<PersonCertificateView | undefined> {
    const { state } = await this.repository.load(certificationStream(processId), certificationDecider);
    return state.status === 'initial' ? undefined : viewOf(processId, state);
  }
}

function rectificationsOf(person: LoadedStream<PersonState>, erased: boolean): RectificationView[] {
  return person.recorded
    .filter((event) => event.type === 'PersonalDataRectified')
    .map((event) => {
      const data = event.data as { fullName?: unknown; reason?: unknown; rectifiedAt?: unknown };
      return {
        fullName: !erased && typeof data.fullName === 'string' ? data.fullName : null,
        reason: !erased && typeof data.reason === 'string' ? data.reason : null,
        rectifiedAt: String(data.rectifiedAt),
        position: event.position.toString(),
      };
    });
}

function viewOf(processId: string, state: Exclude<CertificationState, { status: 'initial' }>): PersonCertificateView {
  const certificate = state.status === 'certified' || state.status === 'revoked' ? state.certificate : undefined;
  return {
    processId,
    standardCode: state.process.standardCode,
    enrolledAt: state.process.enrolledAt,
    status: state.status === 'revoked' ? 'revoked' : state.status === 'certified' ? 'certified' : 'open',
    folio: certificate?.folio ?? null,
    issuedAt: certificate?.issuedAt ?? null,
    validUntil: certificate?.validUntil ?? null,
    revokedAt: state.status === 'revoked' ? state.revocation.revokedAt : null,
  };
}
