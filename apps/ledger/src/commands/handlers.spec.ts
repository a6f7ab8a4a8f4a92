import { randomUUID } from 'node:crypto';
import { CENTRE_ID, enrollmentRequest, makeCurpPerson, PROVIDER_ID } from '@ledger/domain/testing';
import type { Actor } from '@ledger/domain';
import type { RecordedEvent } from '@ledger/event-store';
import { createPostgresTestStore, type PostgresTestStore } from '@ledger/event-store/testing';
import { PersonalDataVault } from '@ledger/personal-data';
import { InMemoryKeyStore } from '@ledger/personal-data/testing';
import { FixedClock } from '../platform/clock/ledger-clock';
import type { CommandCaller } from '../platform/idempotency/command-caller';
import { AccreditEvaluatorCommand } from './accredit-evaluator/accredit-evaluator.command';
import { AccreditEvaluatorHandler } from './accredit-evaluator/accredit-evaluator.handler';
import { AccreditProviderCommand } from './accredit-provider/accredit-provider.command';
import { AccreditProviderHandler } from './accredit-provider/accredit-provider.handler';
import { ChangeProgramTargetCommand, ExtendProgramPeriodCommand } from './amend-program/amend-program.command';
import { ChangeProgramTargetHandler, ExtendProgramPeriodHandler } from './amend-program/amend-program.handler';
import { EnrollCandidateCommand } from './enroll-candidate/enroll-candidate.command';
import { EnrollCandidateHandler } from './enroll-candidate/enroll-candidate.handler';
import { IssueCertificateCommand } from './issue-certificate/issue-certificate.command';
import { IssueCertificateHandler } from './issue-certificate/issue-certificate.handler';
import { IssueCertificatesCommand } from './issue-certificates/issue-certificates.command';
import { IssueCertificatesHandler } from './issue-certificates/issue-certificates.handler';
import { LaunchProgramCommand } from './launch-program/launch-program.command';
import { LaunchProgramHandler } from './launch-program/launch-program.handler';
import { RecordEvaluationCommand } from './record-evaluation/record-evaluation.command';
import { RecordEvaluationHandler } from './record-evaluation/record-evaluation.handler';
import { RecordTrainingCommand } from './record-training/record-training.command';
import { RecordTrainingHandler } from './record-training/record-training.handler';
import { RegisterStandardCommand } from './register-standard/register-standard.command';
import { RegisterStandardHandler } from './register-standard/register-standard.handler';
import { RevokeCertificateCommand } from './revoke-certificate/revoke-certificate.command';
import { RevokeCertificateHandler } from './revoke-certificate/revoke-certificate.handler';
import { RevokeEvaluatorAccreditationCommand } from './revoke-evaluator-accreditation/revoke-evaluator-accreditation.command';
import { RevokeEvaluatorAccreditationHandler } from './revoke-evaluator-accreditation/revoke-evaluator-accreditation.handler';
import { EventSourcedRepository } from './shared/event-sourced-repository';
import { FolioCandidates, SubjectIds } from './shared/keyed-ids';

const START = new Date('2026-12-03T12:00:00.000Z');
const authority: Actor = { id: 'conocer-admin', role: 'authority', organizationId: 'CONOCER' };
const certifier: Actor = { id: 'certifier-1', role: 'certifier', organizationId: PROVIDER_ID };
const registrar: Actor = { id: 'registrar-1', role: 'registrar', organizationId: CENTRE_ID };
const EVALUATOR_ID = 'evaluator-handlers-spec';
const evaluator: Actor = { id: EVALUATOR_ID, role: 'evaluator', organizationId: PROVIDER_ID };
const PERIOD = { validFrom: '2018-01-01', validUntil: '2030-12-31' };

/**
 * Every command handler, constructed as the ledger wires it but with a fixed
 * clock, through one certificate's life and a program's (the batch issuance
 * among them): each writes its events with the clock's instant as recordedAt,
 * and what the deciders take from the clock (an issuance date not given, the
 * validity counted from it) is the clock's.
 */
describe('the command handlers, with a fixed clock', () => {
  let subject: PostgresTestStore;
  const clock = new FixedClock(START);
  const caller = (actor: Actor): CommandCaller => ({ actor, commandId: clock.newId(), correlationId: randomUUID() });
  let handlers: ReturnType<typeof wire>;

  function wire() {
    const vault = new PersonalDataVault(new InMemoryKeyStore(), 'the-master-key-of-the-handlers-spec-0123456789');
    const secrets = { tokenKey: 'k'.repeat(32), subjectKey: 's'.repeat(32), folioKey: 'f'.repeat(32), masterKey: 'm'.repeat(32), logKey: '' } as never;
    const repository = new EventSourcedRepository(subject.store, vault, clock);
    const subjectIds = new SubjectIds(secrets, subject.store);
    const issue = new IssueCertificateHandler(repository, new FolioCandidates(secrets));
    // The batch sends each issuance through the command bus: here, straight to its handler.
    const bus = { execute: (command: IssueCertificateCommand) => issue.execute(command) };
    return {
      registerStandard: new RegisterStandardHandler(repository),
      accreditProvider: new AccreditProviderHandler(repository),
      accreditEvaluator: new AccreditEvaluatorHandler(repository, subjectIds),
      revokeEvaluator: new RevokeEvaluatorAccreditationHandler(repository),
      enroll: new EnrollCandidateHandler(repository, subjectIds),
      train: new RecordTrainingHandler(repository),
      evaluate: new RecordEvaluationHandler(repository),
      issue,
      issueBatch: new IssueCertificatesHandler(bus as never),
      revoke: new RevokeCertificateHandler(repository),
      launchProgram: new LaunchProgramHandler(repository),
      changeTarget: new ChangeProgramTargetHandler(repository),
      extendPeriod: new ExtendProgramPeriodHandler(repository),
    };
  }

  /** The events appended since `from`, with the recordedAt each carries. */
  async function writtenAfter(from: bigint): Promise<{ type: string; recordedAt: string; data: Record<string, unknown> }[]> {
    const events: RecordedEvent[] = await subject.store.readAll({ afterPosition: from });
    return events.map((event) => ({ type: event.type, recordedAt: event.metadata.recordedAt, data: event.data as Record<string, unknown> }));
  }

  /** Runs `step` at the clock's instant plus a minute, and returns what it wrote. */
  async function step(work: () => Promise<unknown>) {
    clock.advance(60_000);
    const from = await subject.store.headPosition();
    await work();
    const written = await writtenAfter(from);
    expect(written.length).toBeGreaterThan(0);
    expect(written.map((event) => event.recordedAt)).toEqual(Array(written.length).fill(clock.now().toISOString()));
    return written;
  }

  beforeAll(async () => {
    subject = await createPostgresTestStore();
    handlers = wire();
  });
  afterAll(async () => subject?.teardown());

  it('records every step of a certificate’s life, and a program’s, at the clock’s instants', async () => {
    const h = handlers;
    await step(() => h.registerStandard.execute(new RegisterStandardCommand(caller(authority), { code: 'EC0105', version: '01', title: 'Atención al ciudadano en el sector público', validityYears: 5 } as never)));
    await step(() => h.accreditProvider.execute(new AccreditProviderCommand(caller(authority), { providerId: PROVIDER_ID, kind: 'ECE', name: 'ECE de Baja California', accreditationCode: PROVIDER_ID, standards: ['EC0105'], ...PERIOD } as never)));
    await step(() => h.accreditProvider.execute(new AccreditProviderCommand(caller(authority), { providerId: CENTRE_ID, kind: 'CE', name: 'CECATI 149', accreditationCode: CENTRE_ID, standards: ['EC0105'], parentProviderId: PROVIDER_ID, ...PERIOD } as never)));
    await step(() =>
      h.accreditEvaluator.execute(
        new AccreditEvaluatorCommand(caller(certifier), { evaluatorId: EVALUATOR_ID, ...makeCurpPerson(7, 'QR'), providerId: PROVIDER_ID, standards: ['EC0105'], credentialFolio: 'CED-2018-000123', ...PERIOD } as never),
      ),
    );

    const processes: string[] = [];
    for (const index of [11, 12]) {
      const enrollment = enrollmentRequest(makeCurpPerson(index), { enrolledAt: '2026-11-02T15:00:00Z' });
      let processId = '';
      await step(async () => ({ processId } = await h.enroll.execute(new EnrollCandidateCommand(caller(registrar), enrollment as never))));
      processes.push(processId);
      await step(() => h.train.execute(new RecordTrainingCommand(caller(registrar), processId, { trainerId: 'trainer-1', hours: 20, completedAt: '2026-11-10T18:00:00Z' } as never)));
      await step(() => h.evaluate.execute(new RecordEvaluationCommand(caller(evaluator), processId, { result: 'competent', evidenceDigest: `sha256:${'ab'.repeat(32)}`, evaluatedAt: '2026-11-20T16:00:00Z' } as never)));
    }

    // No issuedAt given: the certificate is issued at the clock's instant, and valid five years from it.
    const issued = await step(() => h.issue.execute(new IssueCertificateCommand(caller(certifier), processes[0], {} as never)));
    const certificate = issued.find((event) => event.type === 'CertificateIssued')!;
    const fiveYearsOn = clock.now();
    fiveYearsOn.setUTCFullYear(fiveYearsOn.getUTCFullYear() + 5);
    expect(certificate.data).toMatchObject({ issuedAt: clock.now().toISOString(), validUntil: fiveYearsOn.toISOString() });
    const batch = await step(() => h.issueBatch.execute(new IssueCertificatesCommand(caller(certifier), { processIds: [processes[1]] } as never)));
    expect(batch.filter((event) => event.type === 'CertificateIssued').map((event) => event.data.issuedAt)).toEqual([clock.now().toISOString()]);

    const revoked = await step(() => h.revoke.execute(new RevokeCertificateCommand(caller(authority), certificate.data.folio as string, { reason: 'Evidencia no atribuible al candidato' } as never)));
    expect(revoked.map((event) => [event.type, event.data.revokedAt])).toEqual([['CertificateRevoked', clock.now().toISOString()]]);
    await step(() => h.revokeEvaluator.execute(new RevokeEvaluatorAccreditationCommand(caller(certifier), EVALUATOR_ID, { standardCode: 'EC0105', reason: 'Baja del evaluador' } as never)));

    const program = { programId: 'handlers-spec', name: 'Certificación en EC0105 de la Tesorería', jurisdiction: { state: 'BC', municipality: 'Tijuana' }, standards: ['EC0105'], startsOn: '2026-01-01', endsOn: '2026-12-31', target: { count: 100 } };
    await step(() => h.launchProgram.execute(new LaunchProgramCommand(caller(authority), program as never)));
    await step(() => h.changeTarget.execute(new ChangeProgramTargetCommand(caller(authority), 'handlers-spec', { target: { count: 120 }, reason: 'Plantilla actualizada' } as never)));
    await step(() => h.extendPeriod.execute(new ExtendProgramPeriodCommand(caller(authority), 'handlers-spec', { endsOn: '2027-06-30', reason: 'Acuerdo de cabildo' } as never)));
  });
});
