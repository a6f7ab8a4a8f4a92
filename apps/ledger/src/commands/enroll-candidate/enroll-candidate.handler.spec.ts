import { randomUUID } from 'node:crypto';
import { centreAccredited, CENTRE_ID, enrollmentRequest, makeCurpPerson, providerAccredited, PROVIDER_ID, standardRegistered } from '@ledger/domain/testing';
import { DomainError, INTERRUPTED_ENROLLMENT_AFTER_MS, providerStream, standardStream, type Actor, type LedgerEvent } from '@ledger/domain';
import type { EventStore } from '@ledger/event-store';
import { createPostgresTestStore, testMetadata, type PostgresTestStore } from '@ledger/event-store/testing';
import { PersonalDataVault } from '@ledger/personal-data';
import { InMemoryKeyStore } from '@ledger/personal-data/testing';
import { FixedClock } from '../../platform/clock/ledger-clock';
import type { CommandCaller } from '../../platform/idempotency/command-caller';
import { EventSourcedRepository } from '../shared/event-sourced-repository';
import { SubjectIds } from '../shared/keyed-ids';
import { EnrollCandidateCommand } from './enroll-candidate.command';
import { EnrollCandidateHandler } from './enroll-candidate.handler';
import type { EnrollCandidateRequest } from './enroll-candidate.request.dto';

const START = new Date('2026-12-03T12:00:00.000Z');
const registrar: Actor = { id: 'registrar-1', role: 'registrar', organizationId: CENTRE_ID };
const caller = (): CommandCaller => ({ actor: registrar, commandId: randomUUID(), correlationId: randomUUID() });

/**
 * EnrollCandidate's handler with a fixed clock, on a real event store: the
 * clock it is given is the `now` its events record, and it alone decides
 * when an enrollment interrupted between its two appends may be taken over.
 */
describe('EnrollCandidateHandler, with a fixed clock', () => {
  let subject: PostgresTestStore;
  let clock: FixedClock;
  let person: { curp: string; fullName: string };
  /** One key store for the spec: every handler reads the names the others sealed. */
  const vault = new PersonalDataVault(new InMemoryKeyStore(), 'the-master-key-of-this-handler-spec-0123456789');

  /** The handler over `store` (by default the test store), as the ledger wires it, with the spec's clock. */
  function handlerOn(store: EventStore = subject.store): EnrollCandidateHandler {
    const secrets = { tokenKey: 'k'.repeat(32), subjectKey: 's'.repeat(32), folioKey: 'f'.repeat(32), masterKey: 'm'.repeat(32), logKey: '' };
    return new EnrollCandidateHandler(new EventSourcedRepository(store, vault, clock), new SubjectIds(secrets as never, store));
  }

  const enrollment = (): EnrollCandidateRequest => enrollmentRequest(person, { enrolledAt: '2026-11-30T15:00:00Z' }) as unknown as EnrollCandidateRequest;

  async function seed(streamId: string, events: readonly LedgerEvent[]): Promise<void> {
    await subject.store.appendToStream(streamId, events.map((event) => ({ id: randomUUID(), type: event.type, data: event.data, metadata: testMetadata() })));
  }

  beforeAll(async () => {
    subject = await createPostgresTestStore();
    await seed(standardStream('EC0105'), [standardRegistered()]);
    await seed(providerStream(PROVIDER_ID), [providerAccredited({ validUntil: '2030-12-31' })]);
    await seed(providerStream(CENTRE_ID), [centreAccredited({ validUntil: '2030-12-31' })]);
  });
  afterAll(async () => subject?.teardown());

  beforeEach(() => {
    clock = new FixedClock(START);
    person = makeCurpPerson(1_000 + Math.floor(Math.random() * 100_000));
  });

  it('given a new person, when enrolled, then both streams record the clock’s instant', async () => {
    const { processId, subjectId } = await handlerOn().execute(new EnrollCandidateCommand(caller(), enrollment()));
    const written = [...(await subject.store.readStream(`person-${subjectId}`)), ...(await subject.store.readStream(`certification-${processId}`))];
    expect(written.map((event) => event.type)).toEqual(['PersonRegistered', 'EnrollmentOpened', 'CandidateEnrolled']);
    expect(written.map((event) => event.metadata.recordedAt)).toEqual(Array(3).fill(START.toISOString()));
  });

  it('given an enrollment interrupted between its appends, then another is refused until the bound has passed on the clock, and then completes it', async () => {
    // The first writer dies after the person stream's append: its certification stream stays empty.
    const crashing = new Proxy(subject.store, {
      get: (store, name) =>
        name === 'appendToStream'
          ? (streamId: string, ...rest: Parameters<EventStore['appendToStream']> extends [string, ...infer R] ? R : never) =>
              streamId.startsWith('certification-') ? Promise.reject(new Error('the writer crashed')) : store.appendToStream(streamId, ...rest)
          : Reflect.get(store, name),
    });
    await expect(handlerOn(crashing).execute(new EnrollCandidateCommand(caller(), enrollment()))).rejects.toThrow('the writer crashed');

    clock.advance(INTERRUPTED_ENROLLMENT_AFTER_MS);
    const early = await handlerOn().execute(new EnrollCandidateCommand(caller(), enrollment())).catch((error: unknown) => error);
    expect(early).toBeInstanceOf(DomainError);
    expect((early as DomainError).code).toBe('ALREADY_ENROLLED');
    const interrupted = (early as DomainError).details?.processId as string;
    expect(await subject.store.readStream(`certification-${interrupted}`)).toEqual([]);

    clock.advance(1);
    const completed = await handlerOn().execute(new EnrollCandidateCommand(caller(), enrollment()));
    expect(completed.processId).toBe(interrupted);
    const [enrolled] = await subject.store.readStream(`certification-${interrupted}`);
    expect(enrolled).toMatchObject({ type: 'CandidateEnrolled', metadata: { recordedAt: new Date(START.getTime() + INTERRUPTED_ENROLLMENT_AFTER_MS + 1).toISOString() } });
  });
});
