import type { EnrollCandidate } from '../certification/certification.commands';
import { certificationDecider } from '../certification/certification.decider';
import { personDecider } from '../person/person.decider';
import { providerDecider } from '../provider/provider.decider';
import { fold } from '../shared/decider';
import { standardDecider } from '../standard/standard.decider';
import { makeValidCurp, withWrongCheckDigit } from '../testing/curp-fixtures';
import {
  candidateEnrolled,
  centreAccredited,
  centreRegistrar,
  meta,
  PROCESS_ID,
  PROVIDER_ID,
  providerAccredited,
  standardRegistered,
  SUBJECT_ID,
} from '../testing/ledger-fixtures';
import { decideEnrollment } from './enrollment.workflow';

const curp = makeValidCurp({ firstSurname: 'Ramírez', secondSurname: 'Soto', givenName: 'Lucía', birthDate: '1988-09-17', sex: 'M', state: 'BC' });

const person = { curp, fullName: 'Lucía Ramírez Soto' };
const command = (overrides: Partial<EnrollCandidate['data']> = {}): EnrollCandidate => ({
  type: 'EnrollCandidate',
  data: {
    processId: PROCESS_ID,
    subjectId: SUBJECT_ID,
    standardCode: 'EC0105',
    providerId: PROVIDER_ID,
    agency: 'Secretaría de Hacienda del Estado',
    jurisdiction: { state: 'BC', municipality: 'Tijuana' },
    employment: 'base',
    enrolledAt: '2024-03-01T09:00:00.000Z',
    standard: fold(standardDecider, [standardRegistered()]),
    provider: fold(providerDecider, [providerAccredited()]),
    centre: fold(providerDecider, [centreAccredited()]),
    earlierProcesses: [],
    ...overrides,
  },
  metadata: meta(centreRegistrar),
});

describe('decideEnrollment', () => {
  it('registers a new person, opens the enrollment and enrolls, in one decision', () => {
    const decision = decideEnrollment(command(), person, personDecider.initialState, certificationDecider.initialState);
    expect(decision.personEvents.map((event) => event.type)).toEqual(['PersonRegistered', 'EnrollmentOpened']);
    expect(decision.certificationEvents).toEqual([candidateEnrolled()]);
  });

  it('writes nothing on a full retry', () => {
    const first = decideEnrollment(command(), person, personDecider.initialState, certificationDecider.initialState);
    const process = fold(certificationDecider, first.certificationEvents);
    expect(decideEnrollment(command(), person, fold(personDecider, first.personEvents), process)).toEqual({ personEvents: [], certificationEvents: [] });
  });

  it('rejects before deciding anything for the person when the certification side says no', () => {
    const retired = fold(standardDecider, [
      standardRegistered(),
      { type: 'StandardRetired', data: { code: 'EC0105', reason: 'old', retiredAt: '2020-01-01T00:00:00.000Z' } },
    ]);
    expect(() => decideEnrollment(command({ standard: retired }), person, personDecider.initialState, certificationDecider.initialState)).toThrow(
      expect.objectContaining({ code: 'STANDARD_NOT_ACTIVE' }),
    );
  });

  it('rejects an invalid CURP', () => {
    const typo = { ...person, curp: withWrongCheckDigit(curp) };
    expect(() => decideEnrollment(command(), typo, personDecider.initialState, certificationDecider.initialState)).toThrow(
      expect.objectContaining({ code: 'CURP_CHECK_DIGIT' }),
    );
  });
});
