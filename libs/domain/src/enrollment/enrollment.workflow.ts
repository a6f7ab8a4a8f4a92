import { certificationDecider } from '../certification/certification.decider';
import type { EnrollCandidate } from '../certification/certification.commands';
import type { CertificationEvent } from '../certification/certification.events';
import type { CertificationState } from '../certification/certification.state';
import { personDecider } from '../person/person.decider';
import type { PersonEvent } from '../person/person.events';
import type { PersonState } from '../person/person.state';

/**
 * Enrollment touches two streams: the person stream (register the person if
 * new, open the enrollment: the consistency boundary) and the certification
 * stream (the process itself). This pure function makes all three decisions
 * in the one safe order: the certification decision first, so that a rejected
 * enrollment (retired standard, unaccredited provider…) never leaves an open
 * process on the person stream. The handler then appends `personEvents` with
 * the person stream's expected revision, and `certificationEvents` with
 * no_stream. Both arrays empty means the whole enrollment was a retry.
 */
export interface EnrollmentDecision {
  personEvents: PersonEvent[];
  certificationEvents: CertificationEvent[];
}

/** The personal data of the candidate, which goes to the person stream only. */
export interface CandidatePersonalData {
  curp: string;
  fullName: string;
}

export function decideEnrollment(
  command: EnrollCandidate,
  person: CandidatePersonalData,
  personState: PersonState,
  certificationState: CertificationState,
): EnrollmentDecision {
  const { data, metadata } = command;
  const certificationEvents = certificationDecider.decide(command, certificationState);
  const registered = personDecider.decide(
    { type: 'RegisterPerson', data: { subjectId: data.subjectId, curp: person.curp, fullName: person.fullName }, metadata },
    personState,
  );
  const afterRegistration = registered.reduce(personDecider.evolve, personState);
  const opened = personDecider.decide(
    {
      type: 'OpenEnrollment',
      data: {
        subjectId: data.subjectId,
        processId: data.processId,
        standardCode: data.standardCode,
        enrolledAt: data.enrolledAt,
        earlierProcesses: data.earlierProcesses,
      },
      metadata,
    },
    afterRegistration,
  );
  return { personEvents: [...registered, ...opened], certificationEvents };
}
