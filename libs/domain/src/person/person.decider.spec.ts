import type { CertificationState, EarlierProcess } from '../certification/certification.state';
import { certificationDecider } from '../certification/certification.decider';
import type { Actor } from '../shared/actor';
import { fold } from '../shared/decider';
import type { CertificationEvent } from '../certification/certification.events';
import { makeValidCurp, withWrongCheckDigit } from '../testing/curp-fixtures';
import { given } from '../testing/given-when-then';
import {
  candidateEnrolled,
  centreRegistrar,
  certifier,
  evaluationRecorded,
  evaluator,
  meta,
  NOW,
  PROCESS_ID,
  SUBJECT_ID,
} from '../testing/ledger-fixtures';
import type { ErasePersonalData, OpenEnrollment, RectifyPersonalData, RegisterPerson } from './person.commands';
import { personDecider } from './person.decider';
import type { EnrollmentOpened, PersonalDataErased, PersonRegistered } from './person.events';

const curp = makeValidCurp({ firstSurname: 'López', secondSurname: 'Obrador', givenName: 'Andrés Manuel', birthDate: '1953-11-13', state: 'TC' });
const register = (data: Partial<RegisterPerson['data']> = {}, actor = centreRegistrar): RegisterPerson => ({
  type: 'RegisterPerson',
  data: { subjectId: SUBJECT_ID, curp, fullName: 'Andrés Manuel López Obrador', ...data },
  metadata: meta(actor),
});
const registered: PersonRegistered = {
  type: 'PersonRegistered',
  data: { subjectId: SUBJECT_ID, curp, fullName: 'Andrés Manuel López Obrador', registeredAt: NOW },
};
const rectify = (fullName: string): RectifyPersonalData => ({
  type: 'RectifyPersonalData',
  data: { subjectId: SUBJECT_ID, fullName },
  metadata: meta(centreRegistrar),
});
const privacyOffice: Actor = { id: 'privacy-1', role: 'privacy', organizationId: 'INAI-UT' };
const erase = (data: Partial<ErasePersonalData['data']> = {}, actor = privacyOffice): ErasePersonalData => ({
  type: 'ErasePersonalData',
  data: { subjectId: SUBJECT_ID, requestFolio: 'UT/ARCO/2024/0153', reason: 'Cancelación solicitada por el titular', ...data },
  metadata: meta(actor),
});
const erased: PersonalDataErased = {
  type: 'PersonalDataErased',
  data: { subjectId: SUBJECT_ID, requestFolio: 'UT/ARCO/2024/0153', reason: 'Cancelación solicitada por el titular', erasedAt: NOW },
};
const opened = (processId: string, openedAt = NOW, standardCode = 'EC0105'): EnrollmentOpened => ({
  type: 'EnrollmentOpened',
  data: { subjectId: SUBJECT_ID, processId, standardCode, openedAt },
});
const open = (earlierProcesses: EarlierProcess[] = [], data: Partial<OpenEnrollment['data']> = {}): OpenEnrollment => ({
  type: 'OpenEnrollment',
  data: { subjectId: SUBJECT_ID, processId: 'process-2', standardCode: 'EC0105', earlierProcesses, ...data },
  metadata: meta(centreRegistrar),
});

const certified = (issuedAt: string, validUntil: string): CertificationEvent[] => [
  candidateEnrolled(),
  evaluationRecorded(),
  {
    type: 'CertificateIssued',
    data: {
      processId: PROCESS_ID,
      folio: '0000-0000-0000-0',
      subjectId: SUBJECT_ID,
      standardCode: 'EC0105',
      providerId: 'ECE322-18',
      evaluatorId: evaluator.id,
      issuedAt,
      validUntil,
    },
  },
];
const earlier = (events: CertificationEvent[]): EarlierProcess[] => [
  { processId: PROCESS_ID, state: fold(certificationDecider, events) as CertificationState },
];

describe('person decider', () => {
  describe('RegisterPerson', () => {
    it('registers a person with a valid CURP, normalised', () => {
      given(personDecider).when(register({ curp: ` ${curp.toLowerCase()} ` })).then([registered]);
    });

    it('accepts a CURP with Ñ', () => {
      const enye = 'PEÑA750615MJCXRR09';
      given(personDecider)
        .when(register({ curp: enye }))
        .then([{ type: 'PersonRegistered', data: { ...registered.data, curp: enye } }]);
    });

    it.each([
      [withWrongCheckDigit(curp), 'CURP_CHECK_DIGIT'],
      ['LOOA990230HTCPBN04', 'CURP_DATE'],
      ['LOOA531113', 'CURP_LENGTH'],
      ['1OOA531113HTCPBN07', 'CURP_FORMAT'],
    ])('rejects an invalid CURP %s with %s', (bad, code) => {
      given(personDecider).when(register({ curp: bad })).thenThrows(code as never);
    });

    it('is idempotent for the same subject, and refuses another CURP under the same subject', () => {
      given(personDecider, [registered]).when(register()).thenNothing();
      given(personDecider, [registered]).when(register({ curp: 'PEÑA750615MJCXRR09' })).thenThrows('PERSON_CURP_MISMATCH');
    });

    it('needs a name and a data-collecting role', () => {
      given(personDecider).when(register({ fullName: '' })).thenThrows('REQUIRED_FIELD');
      given(personDecider).when(register({}, evaluator)).thenThrows('ROLE_NOT_ALLOWED');
      given(personDecider).when(register({}, certifier)).then([registered]);
    });
  });

  describe('RectifyPersonalData', () => {
    it('records a new name, and nothing when it is unchanged', () => {
      given(personDecider, [registered])
        .when(rectify('Andrés Manuel  López Obrador Jr.'))
        .then([{ type: 'PersonalDataRectified', data: { subjectId: SUBJECT_ID, fullName: 'Andrés Manuel López Obrador Jr.', rectifiedAt: NOW } }]);
      given(personDecider, [registered]).when(rectify('Andrés Manuel López Obrador')).thenNothing();
    });

    it('needs the person registered', () => {
      given(personDecider).when(rectify('X')).thenThrows('PERSON_NOT_FOUND');
    });
  });

  describe('RectifyPersonalData by the privacy office (ARCO)', () => {
    it('records the new name with the reason', () => {
      given(personDecider, [registered])
        .when({ type: 'RectifyPersonalData', data: { subjectId: SUBJECT_ID, fullName: 'Andrés Manuel López Obrador', reason: 'x' }, metadata: meta(privacyOffice) })
        .thenNothing();
      given(personDecider, [registered])
        .when({ type: 'RectifyPersonalData', data: { subjectId: SUBJECT_ID, fullName: 'Andrés López', reason: 'Acta de nacimiento' }, metadata: meta(privacyOffice) })
        .then([{ type: 'PersonalDataRectified', data: { subjectId: SUBJECT_ID, fullName: 'Andrés López', reason: 'Acta de nacimiento', rectifiedAt: NOW } }]);
    });

    it('refuses a reason that is not text or too long, and an evaluator', () => {
      const bad = (reason: string) => ({ type: 'RectifyPersonalData' as const, data: { subjectId: SUBJECT_ID, fullName: 'Andrés López', reason }, metadata: meta(privacyOffice) });
      given(personDecider, [registered]).when(bad('a\u0000b')).thenThrows('INVALID_TEXT');
      given(personDecider, [registered]).when(bad('x'.repeat(501))).thenThrows('INVALID_FIELD');
      given(personDecider, [registered]).when({ ...rectify('Andrés López'), metadata: meta(evaluator) }).thenThrows('ROLE_NOT_ALLOWED');
    });

    it('refuses to rectify an erased person', () => {
      given(personDecider, [registered, erased]).when(rectify('Andrés López')).thenThrows('PERSON_ERASED');
    });
  });

  describe('ErasePersonalData (ARCO cancellation)', () => {
    it('records the erasure without personal data', () => {
      given(personDecider, [registered, opened(PROCESS_ID)]).when(erase()).then([erased]);
    });

    it('is the privacy office\'s alone', () => {
      for (const actor of [centreRegistrar, certifier, evaluator, { ...privacyOffice, role: 'authority' as const }, { ...privacyOffice, role: 'comptroller' as const }]) {
        given(personDecider, [registered]).when(erase({}, actor)).thenThrows('ROLE_NOT_ALLOWED');
      }
    });

    it('needs the person, a folio and a reason, bounded and free of control characters', () => {
      given(personDecider).when(erase()).thenThrows('PERSON_NOT_FOUND');
      given(personDecider, [registered]).when(erase({ reason: '' })).thenThrows('REQUIRED_FIELD');
      given(personDecider, [registered]).when(erase({ requestFolio: '' })).thenThrows('REQUIRED_FIELD');
      given(personDecider, [registered]).when(erase({ requestFolio: 'F'.repeat(65) })).thenThrows('INVALID_FIELD');
      given(personDecider, [registered]).when(erase({ reason: 'line\u0007bell' })).thenThrows('INVALID_TEXT');
    });

    it('refuses a second erasure, naming the first', () => {
      given(personDecider, [registered, erased])
        .when(erase({ requestFolio: 'UT/ARCO/2024/0200' }))
        .thenThrows('PERSON_ALREADY_ERASED', { erasedAt: NOW, requestFolio: 'UT/ARCO/2024/0153' });
    });

    it('leaves an erased person with its processes and no personal data, and refuses to enroll or register it again', () => {
      const state = fold(personDecider, [registered, opened(PROCESS_ID), erased]);
      expect(state).toEqual({ status: 'erased', subjectId: SUBJECT_ID, registeredAt: NOW, erasedAt: NOW, requestFolio: 'UT/ARCO/2024/0153', enrollments: [{ processId: PROCESS_ID, standardCode: 'EC0105', openedAt: NOW }] });
      expect(JSON.stringify(state)).not.toContain(curp);
      expect(JSON.stringify(state)).not.toContain('López');
      given(personDecider, [registered, erased]).when(open()).thenThrows('PERSON_ERASED');
      given(personDecider, [registered, erased]).when(register()).thenThrows('PERSON_ERASED');
    });
  });

  describe('OpenEnrollment (one open or valid certification per person and standard)', () => {
    it('opens the first enrollment for a standard', () => {
      given(personDecider, [registered]).when(open()).then([opened('process-2')]);
    });

    it('needs the person registered', () => {
      given(personDecider).when(open()).thenThrows('PERSON_NOT_FOUND');
    });

    it('rejects while another process for the standard is open', () => {
      given(personDecider, [registered, opened(PROCESS_ID)])
        .when(open(earlier([candidateEnrolled()])))
        .thenThrows('ALREADY_ENROLLED', { processId: PROCESS_ID, standing: 'open' });
    });

    it('counts a listed process whose certification stream is empty (or not passed) as open', () => {
      given(personDecider, [registered, opened(PROCESS_ID)]).when(open()).thenThrows('ALREADY_ENROLLED');
    });

    it('allows another standard while one is open', () => {
      given(personDecider, [registered, opened(PROCESS_ID)])
        .when(open(earlier([candidateEnrolled()]), { standardCode: 'EC0217' }))
        .then([{ type: 'EnrollmentOpened', data: { subjectId: SUBJECT_ID, processId: 'process-2', standardCode: 'EC0217', openedAt: NOW } }]);
    });

    it('rejects while a certificate for the standard is valid on the enrollment date', () => {
      given(personDecider, [registered, opened(PROCESS_ID)])
        .when(open(earlier(certified('2024-05-01T00:00:00.000Z', '2029-05-01T00:00:00.000Z'))))
        .thenThrows('ALREADY_ENROLLED', { standing: 'valid' });
    });

    it('allows a new enrollment once the certificate has expired on the enrollment date', () => {
      given(personDecider, [registered, opened(PROCESS_ID)])
        .when(open(earlier(certified('2019-05-01T00:00:00.000Z', '2024-05-01T00:00:00.000Z'))))
        .then([opened('process-2')]);
    });

    it('judges validity on the enrollment date, not today', () => {
      given(personDecider, [registered, opened(PROCESS_ID)])
        .when(open(earlier(certified('2019-05-01T00:00:00.000Z', '2024-05-01T00:00:00.000Z')), { enrolledAt: '2024-04-30' }))
        .thenThrows('ALREADY_ENROLLED');
    });

    it('allows a new enrollment once the certificate was revoked', () => {
      const revokedEvents: CertificationEvent[] = [
        ...certified('2024-05-01T00:00:00.000Z', '2029-05-01T00:00:00.000Z'),
        { type: 'CertificateRevoked', data: { processId: PROCESS_ID, folio: '0000-0000-0000-0', reason: 'error', revokedAt: NOW } },
      ];
      given(personDecider, [registered, opened(PROCESS_ID)]).when(open(earlier(revokedEvents))).then([opened('process-2')]);
    });

    it('rejects while a process judged not yet competent is still open', () => {
      given(personDecider, [registered, opened(PROCESS_ID)])
        .when(open(earlier([candidateEnrolled(), evaluationRecorded({ result: 'not_yet_competent' })])))
        .thenThrows('ALREADY_ENROLLED');
    });

    it('is idempotent for the same process id, and refuses that id for another standard', () => {
      given(personDecider, [registered, opened('process-2')]).when(open()).thenNothing();
      given(personDecider, [registered, opened('process-2')]).when(open([], { standardCode: 'EC0217' })).thenThrows('PROCESS_ALREADY_EXISTS');
    });

    it('refuses a future enrollment date and non-registrars', () => {
      given(personDecider, [registered]).when(open([], { enrolledAt: '2024-06-02' })).thenThrows('DATE_IN_FUTURE');
      given(personDecider, [registered])
        .when({ ...open(), metadata: meta(certifier) })
        .thenThrows('ROLE_NOT_ALLOWED');
    });
  });
});
