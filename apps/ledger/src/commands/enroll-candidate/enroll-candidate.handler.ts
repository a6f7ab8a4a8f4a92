import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import {
  certificationDecider,
  certificationStream,
  Curp,
  parseStandardCode,
  personDecider,
  personStream,
  providerDecider,
  providerStream,
  standardDecider,
  standardStream,
  decideEnrollment,
  processForEnrollment,
  type CertificationState,
  type CommandMetadata,
  type EarlierProcess,
  type IsoInstant,
  type PersonState,
} from '@ledger/domain';
import { parseLedgerEvent } from '@ledger/event-store';
import type { CommandCaller } from '../../platform/idempotency/command-caller';
import { uuidV5 } from '../../platform/idempotency/command-ids';
import { withConcurrencyRetry } from '../shared/concurrency-retry';
import { EventSourcedRepository, eventsOfCommand, lastPositionOf, loadOf, type LoadedStream } from '../shared/event-sourced-repository';
import { SubjectIds } from '../shared/keyed-ids';
import { EnrollCandidateCommand, EnrollmentResponse } from './enroll-candidate.command';
import type { EnrollCandidateRequest } from './enroll-candidate.request.dto';

interface EarlierStream {
  processId: string;
  loaded: LoadedStream<CertificationState>;
}

/**
 * EnrollCandidate spans two streams, and no store offers a transaction across
 * streams, so:
 *
 * 1. `person-{subjectId}` is the consistency boundary for "one open or valid
 *    certification per person and standard": EnrollmentOpened is appended
 *    there first, at the revision read (registering the person when new).
 *    Two concurrent enrollments of one person cannot both pass.
 * 2. Then CandidateEnrolled goes to `certification-{processId}` with
 *    `no_stream`.
 *
 * The process id and every event id derive from the command id (itself
 * derived from the Idempotency-Key), so a retry after a crash between 1 and
 * 2 finds its own EnrollmentOpened (the domain answers "nothing new") and
 * completes step 2 with the same ids.
 *
 * If the client never retries, the person must not stay blocked: the
 * domain's recovery (processForEnrollment, with the command's clock) lets the
 * next enrollment of that person for that standard take over a listed process
 * whose certification stream is still empty long after it was opened, and
 * write its own CandidateEnrolled there. Step 2's `no_stream` is the fence:
 * if the original writer was merely slow, exactly one of the two appends
 * succeeds and the other is answered from what is stored (or refused).
 */
@CommandHandler(EnrollCandidateCommand)
export class EnrollCandidateHandler implements ICommandHandler<EnrollCandidateCommand> {
  constructor(
    private readonly repository: EventSourcedRepository,
    private readonly subjectIds: SubjectIds,
  ) {}

  async execute({ caller, request }: EnrollCandidateCommand): Promise<EnrollmentResponse> {
    const curp = Curp.parse(request.curp);
    const standardCode = parseStandardCode(request.standardCode);
    // The subject inside the retry: an erasure that wins the race moves the CURP to its next subject.
    return withConcurrencyRetry(async () => this.enroll(caller, { ...request, curp: curp.value, standardCode }, await this.subjectIds.current(curp)));
  }

  private async enroll(caller: CommandCaller, request: EnrollCandidateRequest, subjectId: string): Promise<EnrollmentResponse> {
    const { standardCode, providerId } = request;
    const centreId = caller.actor.organizationId;
    const [standard, provider, centre, person] = await this.repository.loadEach([
      loadOf(standardStream(standardCode), standardDecider),
      loadOf(providerStream(providerId), providerDecider),
      centreId === providerId ? undefined : loadOf(providerStream(centreId), providerDecider),
      loadOf(personStream(subjectId), personDecider),
    ] as const);
    const metadata = this.repository.metadataFor(caller);
    const earlier = await this.earlierProcesses(person.state, standardCode);
    const processId = processIdFor(caller.commandId, person, earlier, metadata);
    const certification =
      earlier.find((candidate) => candidate.processId === processId)?.loaded ??
      (await this.repository.load(certificationStream(processId), certificationDecider));
    const done = eventsOfCommand(certification, caller.commandId);
    if (done.length > 0) return { processId, subjectId, position: done[done.length - 1].position.toString() };

    const earlierProcesses: EarlierProcess[] = earlier.map(({ processId: id, loaded }) => ({ processId: id, state: loaded.state }));
    const { curp, fullName, ...enrollment } = request;
    const { personEvents, certificationEvents } = decideEnrollment(
      {
        type: 'EnrollCandidate',
        data: { ...enrollment, processId, subjectId, standard: standard.state, provider: provider.state, centre: centre?.state, earlierProcesses },
        metadata,
      },
      { curp, fullName },
      person.state,
      certification.state,
    );
    if (personEvents.length > 0) await this.repository.append(person.streamId, personEvents, person.expectedRevision, caller);
    if (certificationEvents.length === 0) return { processId, subjectId, position: lastPositionOf(certification).toString() };
    const position = await this.repository.append(certification.streamId, certificationEvents, 'no_stream', caller);
    return { processId, subjectId, position: position.toString() };
  }

  /** The certification streams of every process the person stream lists for this standard. */
  private async earlierProcesses(person: PersonState, standardCode: string): Promise<EarlierStream[]> {
    if (person.status !== 'registered') return [];
    const listed = person.enrollments.filter((enrollment) => enrollment.standardCode === standardCode);
    return Promise.all(
      listed.map(async ({ processId }) => ({ processId, loaded: await this.repository.load(certificationStream(processId), certificationDecider) })),
    );
  }
}

/** This command's own process id, or the interrupted enrollment of this person and standard the domain says to complete. */
function processIdFor(commandId: string, person: LoadedStream<PersonState>, earlier: readonly EarlierStream[], metadata: CommandMetadata): string {
  const listed = earlier.map(({ processId, loaded }) => ({ processId, started: loaded.state.status !== 'initial', openedAt: openingOf(person, processId) }));
  return processForEnrollment(uuidV5(`process:${commandId}`), listed, metadata.now);
}

/** When the person stream recorded the opening of `processId` (the ledger's clock at the append), if it did. */
function openingOf(person: LoadedStream<PersonState>, processId: string): IsoInstant | undefined {
  const opened = person.recorded.find((recorded) => {
    // Read through the event registry, as the stream was folded: typed data, no cast.
    const event = parseLedgerEvent(recorded);
    return event.type === 'EnrollmentOpened' && event.data.processId === processId;
  });
  return opened?.metadata.recordedAt;
}
