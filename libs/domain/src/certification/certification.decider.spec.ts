import { evaluatorDecider } from '../evaluator/evaluator.decider';
import type { EvaluatorAccreditationRevoked } from '../evaluator/evaluator.events';
import { providerDecider } from '../provider/provider.decider';
import { fold } from '../shared/decider';
import { Folio } from '../shared/folio';
import { standardDecider } from '../standard/standard.decider';
import { given } from '../testing/given-when-then';
import {
  authority,
  candidateEnrolled,
  CENTRE_ID,
  centreAccredited,
  centreRegistrar,
  certifier,
  evaluationRecorded,
  evaluator,
  EVALUATOR_ID,
  EVALUATOR_SUBJECT_ID,
  evaluatorAccredited,
  meta,
  NOW,
  PROCESS_ID,
  PROVIDER_ID,
  providerAccredited,
  providerRegistrar,
  standardRegistered,
  SUBJECT_ID,
} from '../testing/ledger-fixtures';
import type { EnrollCandidate, IssueCertificate, RecordEvaluation, RecordTraining, RevokeCertificate } from './certification.commands';
import { certificationDecider as decider } from './certification.decider';
import type { CertificateIssued, CertificateRevoked, CertificationEvent, TrainingRecorded } from './certification.events';

const FOLIO = Folio.fromBody('7K3M9Q2XHB4T').value;
const OTHER_FOLIO = Folio.fromBody('7K3M9Q2XHB4V').value;
const DIGEST = `sha256:${'ab'.repeat(32)}`;
const activeStandard = fold(standardDecider, [standardRegistered()]);
const provider = fold(providerDecider, [providerAccredited()]);
const centre = fold(providerDecider, [centreAccredited()]);
const accreditedEvaluator = fold(evaluatorDecider, [evaluatorAccredited()]);

const enroll = (data: Partial<EnrollCandidate['data']> = {}, actor = centreRegistrar): EnrollCandidate => ({
  type: 'EnrollCandidate',
  data: {
    processId: PROCESS_ID,
    subjectId: SUBJECT_ID,
    standardCode: 'EC0105',
    providerId: PROVIDER_ID,
    agency: 'Secretaría de Hacienda del Estado',
    jurisdiction: { state: 'BC', municipality: 'Tijuana' },
    employment: 'base',
    enrolledAt: '2024-03-01T09:00:00Z',
    standard: activeStandard,
    provider,
    centre,
    earlierProcesses: [],
    ...data,
  },
  metadata: meta(actor),
});
const train = (data: Partial<RecordTraining['data']> = {}, actor = centreRegistrar): RecordTraining => ({
  type: 'RecordTraining',
  data: { processId: PROCESS_ID, trainerId: 'trainer-3', hours: 20, completedAt: '2024-03-20T18:00:00.000Z', ...data },
  metadata: meta(actor),
});
const trained = (trainerId = 'trainer-3'): TrainingRecorded => ({
  type: 'TrainingRecorded',
  data: { processId: PROCESS_ID, trainerId, hours: 20, completedAt: '2024-03-20T18:00:00.000Z' },
});
const evaluate = (data: Partial<RecordEvaluation['data']> = {}, actor = evaluator): RecordEvaluation => ({
  type: 'RecordEvaluation',
  data: {
    processId: PROCESS_ID,
    evaluatorId: EVALUATOR_ID,
    result: 'competent',
    evidenceDigest: DIGEST,
    evaluatedAt: '2024-04-10T10:00:00.000Z',
    evaluator: accreditedEvaluator,
    ...data,
  },
  metadata: meta(actor),
});
const issue = (data: Partial<IssueCertificate['data']> = {}, actor = certifier): IssueCertificate => ({
  type: 'IssueCertificate',
  data: { processId: PROCESS_ID, folio: FOLIO, issuedAt: '2024-05-01T17:00:00.000Z', ...data },
  metadata: meta(actor),
});
const issued = (overrides: Partial<CertificateIssued['data']> = {}): CertificateIssued => ({
  type: 'CertificateIssued',
  data: {
    processId: PROCESS_ID,
    folio: FOLIO,
    subjectId: SUBJECT_ID,
    standardCode: 'EC0105',
    providerId: PROVIDER_ID,
    evaluatorId: EVALUATOR_ID,
    issuedAt: '2024-05-01T17:00:00.000Z',
    validUntil: '2029-05-01T17:00:00.000Z',
    ...overrides,
  },
});
const revoke = (data: Partial<RevokeCertificate['data']> = {}, actor = certifier): RevokeCertificate => ({
  type: 'RevokeCertificate',
  data: { processId: PROCESS_ID, folio: FOLIO, reason: 'Evidence portfolio was falsified', revokedAt: '2024-05-20T10:00:00.000Z', ...data },
  metadata: meta(actor),
});
const revoked: CertificateRevoked = {
  type: 'CertificateRevoked',
  data: { processId: PROCESS_ID, folio: FOLIO, reason: 'Evidence portfolio was falsified', revokedAt: '2024-05-20T10:00:00.000Z' },
};

const enrolled: CertificationEvent[] = [candidateEnrolled()];
const competent: CertificationEvent[] = [...enrolled, evaluationRecorded()];
const notYetCompetent: CertificationEvent[] = [...enrolled, evaluationRecorded({ result: 'not_yet_competent' })];
const certified: CertificationEvent[] = [...competent, issued()];

describe('certification decider', () => {
  describe('EnrollCandidate', () => {
    it('enrolls through a CE the provider proposed, copying the standard’s version and validity', () => {
      given(decider).when(enroll()).then([candidateEnrolled()]);
    });

    it('enrolls through the provider itself, with no centre state needed', () => {
      given(decider)
        .when(enroll({ centre: undefined }, providerRegistrar))
        .then([candidateEnrolled({ centreId: PROVIDER_ID })]);
    });

    it('defaults enrolledAt to now and normalises the jurisdiction (DF is CMX)', () => {
      given(decider)
        .when(enroll({ enrolledAt: undefined, jurisdiction: { state: 'df' } }))
        .then([candidateEnrolled({ enrolledAt: NOW, jurisdiction: { state: 'CMX' } })]);
    });

    it('needs a registered standard that is not retired', () => {
      given(decider).when(enroll({ standard: standardDecider.initialState })).thenThrows('STANDARD_NOT_ACTIVE', { reason: 'not_registered' });
      const retired = fold(standardDecider, [standardRegistered(), { type: 'StandardRetired', data: { code: 'EC0105', reason: 'old', retiredAt: NOW } }]);
      given(decider).when(enroll({ standard: retired })).thenThrows('STANDARD_NOT_ACTIVE', { reason: 'retired' });
    });

    it('needs the provider accredited for the standard on the enrollment date', () => {
      given(decider).when(enroll({ provider: providerDecider.initialState })).thenThrows('PROVIDER_NOT_ACCREDITED');
      given(decider).when(enroll({ standardCode: 'EC0301', standard: fold(standardDecider, [standardRegistered({ code: 'EC0301' })]) })).thenThrows('PROVIDER_NOT_ACCREDITED');
      given(decider).when(enroll({ enrolledAt: '2017-12-31T23:00:00Z' })).thenThrows('PROVIDER_NOT_ACCREDITED');
      given(decider).when(enroll({ enrolledAt: '2018-01-01T00:00:00Z' })).then([candidateEnrolled({ enrolledAt: '2018-01-01T00:00:00.000Z' })]);
    });

    it('needs the provider to be an ECE or OC, not a CE', () => {
      given(decider).when(enroll({ providerId: CENTRE_ID, provider: centre }, centreRegistrar)).thenThrows('PROVIDER_CANNOT_CERTIFY');
      const oc = fold(providerDecider, [providerAccredited({ kind: 'OC' })]);
      given(decider).when(enroll({ provider: oc })).then([candidateEnrolled()]);
    });

    it('refuses an organization that is neither the provider nor its CE', () => {
      const stranger = { ...centreRegistrar, organizationId: 'CECATI-1' };
      given(decider).when(enroll({}, stranger)).thenThrows('CENTRE_NOT_AUTHORISED');
      given(decider).when(enroll({ centre: undefined })).thenThrows('CENTRE_NOT_AUTHORISED');
      const othersCentre = fold(providerDecider, [centreAccredited({ parentProviderId: 'OC-99' })]);
      given(decider).when(enroll({ centre: othersCentre })).thenThrows('CENTRE_NOT_AUTHORISED');
    });

    it('needs the CE accredited for the standard on the date', () => {
      const lapsed = fold(providerDecider, [centreAccredited({ validUntil: '2023-12-31' })]);
      given(decider).when(enroll({ centre: lapsed })).thenThrows('CENTRE_NOT_ACCREDITED');
    });

    it('refuses a person with an open or valid process for the standard', () => {
      const open = { processId: 'process-0', state: fold(decider, [candidateEnrolled({ processId: 'process-0' })]) };
      given(decider).when(enroll({ earlierProcesses: [open] })).thenThrows('ALREADY_ENROLLED');
      const expired = fold(decider, [
        candidateEnrolled({ processId: 'process-0' }),
        evaluationRecorded({ processId: 'process-0' }),
        issued({ processId: 'process-0', validUntil: '2024-02-01T00:00:00.000Z' }),
      ]);
      given(decider).when(enroll({ earlierProcesses: [{ processId: 'process-0', state: expired }] })).then([candidateEnrolled()]);
    });

    it('is idempotent for the same enrollment and a conflict for a reused process id', () => {
      given(decider, enrolled).when(enroll()).thenNothing();
      given(decider, enrolled).when(enroll({ subjectId: 'someone-else' })).thenThrows('PROCESS_ALREADY_EXISTS');
    });

    it('validates role, dates and work data', () => {
      given(decider).when(enroll({}, certifier)).thenThrows('ROLE_NOT_ALLOWED');
      given(decider).when(enroll({ enrolledAt: '2024-06-01T12:00:01Z' })).thenThrows('DATE_IN_FUTURE');
      given(decider).when(enroll({ jurisdiction: { state: 'XX' } })).thenThrows('STATE_CODE_UNKNOWN');
      given(decider).when(enroll({ employment: 'volunteer' as never })).thenThrows('INVALID_FIELD', { field: 'employment' });
      given(decider).when(enroll({ agency: ' ' })).thenThrows('REQUIRED_FIELD', { field: 'agency' });
    });
  });

  describe('RecordTraining', () => {
    it('records training by the enrolling centre or provider', () => {
      given(decider, enrolled).when(train()).then([trained()]);
      given(decider, enrolled).when(train({}, providerRegistrar)).then([trained()]);
    });

    it('refuses other organizations, unknown and closed processes', () => {
      given(decider, enrolled).when(train({}, { ...centreRegistrar, organizationId: 'CECATI-1' })).thenThrows('NOT_ENROLLING_ORGANIZATION');
      given(decider).when(train()).thenThrows('PROCESS_NOT_FOUND');
      given(decider, certified).when(train()).thenThrows('PROCESS_CLOSED');
    });

    it('needs completedAt between enrollment and now', () => {
      given(decider, enrolled).when(train({ completedAt: '2024-03-01T08:59:59Z' })).thenThrows('DATE_BEFORE_PREVIOUS_STEP');
      given(decider, enrolled)
        .when(train({ completedAt: '2024-03-01T09:00:00Z' }))
        .then([{ ...trained(), data: { ...trained().data, completedAt: '2024-03-01T09:00:00.000Z' } }]);
      given(decider, enrolled).when(train({ completedAt: '2024-07-01' })).thenThrows('DATE_IN_FUTURE');
    });

    it('needs hours from a hundredth to 1000, to the hundredth', () => {
      for (const hours of [0, -1, 1001, 1e-9, 5e-324, 0.001, 20.255, Number.NaN, Number.POSITIVE_INFINITY]) {
        given(decider, enrolled).when(train({ hours })).thenThrows('INVALID_FIELD', { field: 'hours' });
      }
      for (const [given_, recorded] of [[0.01, 0.01], [20.25, 20.25], [1000, 1000], [0.1 + 0.2, 0.3]]) {
        given(decider, enrolled)
          .when(train({ hours: given_ }))
          .then([{ type: 'TrainingRecorded', data: { processId: PROCESS_ID, trainerId: 'trainer-3', hours: recorded, completedAt: '2024-03-20T18:00:00.000Z' } }]);
      }
    });

    it('refuses an evaluator of this process as trainer (conflict of interest)', () => {
      given(decider, notYetCompetent).when(train({ trainerId: EVALUATOR_ID })).thenThrows('CONFLICT_OF_INTEREST');
    });
  });

  describe('RecordEvaluation', () => {
    it('records a competent judgment with the credential in force', () => {
      given(decider, enrolled).when(evaluate()).then([evaluationRecorded()]);
    });

    it('allows re-evaluation after not yet competent, and rejects it after competent', () => {
      given(decider, notYetCompetent)
        .when(evaluate({ evaluatedAt: '2024-05-10T10:00:00Z' }))
        .then([evaluationRecorded({ evaluatedAt: '2024-05-10T10:00:00.000Z' })]);
      given(decider, competent).when(evaluate({ evaluatedAt: '2024-05-10T10:00:00Z' })).thenThrows('ALREADY_COMPETENT');
      given(decider, certified).when(evaluate({ evaluatedAt: '2024-05-10T10:00:00Z' })).thenThrows('ALREADY_COMPETENT');
    });

    it('needs the evidence digest, but for a historical judgment an import brings from a registry that kept none', () => {
      given(decider, enrolled).when(evaluate({ evidenceDigest: undefined })).thenThrows('EVIDENCE_DIGEST_FORMAT');
      const { evidenceDigest: _absent, ...withoutDigest } = evaluationRecorded().data;
      given(decider, enrolled)
        .when(evaluate({ evidenceDigest: undefined, importRun: 'run-1' }))
        .then([{ type: 'EvaluationRecorded', data: { ...withoutDigest, importRun: 'run-1' } }]);
      // An import that has the digest records it, and the rules are the same: the credential in force that day.
      given(decider, enrolled).when(evaluate({ importRun: 'run-1' })).then([evaluationRecorded({ importRun: 'run-1' })]);
      const expired = fold(evaluatorDecider, [evaluatorAccredited({ validUntil: '2024-04-09' })]);
      given(decider, enrolled).when(evaluate({ evaluator: expired, evidenceDigest: undefined, importRun: 'run-1' })).thenThrows('EVALUATOR_NOT_ACCREDITED');
      given(decider, enrolled).when(evaluate({ evidenceDigest: 'sha256:zz', importRun: 'run-1' })).thenThrows('EVIDENCE_DIGEST_FORMAT');
      given(decider, enrolled).when(evaluate({ evidenceDigest: undefined, importRun: ' ' })).thenThrows('REQUIRED_FIELD');
    });

    it('is for the evaluator acting as itself', () => {
      given(decider, enrolled).when(evaluate({}, { ...evaluator, id: 'evaluator-8' })).thenThrows('NOT_ACTING_AS_SELF');
      given(decider, enrolled).when(evaluate({}, { ...evaluator, role: 'registrar' })).thenThrows('ROLE_NOT_ALLOWED');
    });

    it('needs an accreditation covering the standard', () => {
      given(decider, enrolled).when(evaluate({ evaluator: evaluatorDecider.initialState })).thenThrows('EVALUATOR_NOT_ACCREDITED', { reason: 'not_registered' });
      const otherStandard = fold(evaluatorDecider, [evaluatorAccredited({ standards: ['EC0217'] })]);
      given(decider, enrolled).when(evaluate({ evaluator: otherStandard })).thenThrows('EVALUATOR_NOT_ACCREDITED', { reason: 'not_covered' });
    });

    it('needs the accreditation valid on the evaluation date, last day included', () => {
      const expiring = fold(evaluatorDecider, [evaluatorAccredited({ validUntil: '2024-04-10' })]);
      given(decider, enrolled).when(evaluate({ evaluator: expiring })).then([evaluationRecorded()]);
      const expired = fold(evaluatorDecider, [evaluatorAccredited({ validUntil: '2024-04-09' })]);
      given(decider, enrolled).when(evaluate({ evaluator: expired })).thenThrows('EVALUATOR_NOT_ACCREDITED', { reason: 'expired' });
    });

    it('needs the accreditation not revoked', () => {
      const revocation: EvaluatorAccreditationRevoked = {
        type: 'EvaluatorAccreditationRevoked',
        data: { evaluatorId: EVALUATOR_ID, standardCode: 'EC0105', reason: 'fraud', revokedAt: NOW },
      };
      const revokedEvaluator = fold(evaluatorDecider, [evaluatorAccredited(), revocation]);
      given(decider, enrolled).when(evaluate({ evaluator: revokedEvaluator })).thenThrows('EVALUATOR_NOT_ACCREDITED', { reason: 'revoked' });
    });

    it('needs the credential in force from its validFrom: a credential recorded today does not cover last year', () => {
      const startsAfter = fold(evaluatorDecider, [evaluatorAccredited({ validFrom: '2024-04-11' })]);
      given(decider, enrolled).when(evaluate({ evaluator: startsAfter })).thenThrows('EVALUATOR_NOT_ACCREDITED', { reason: 'not_yet_valid' });
      const startsThatDay = fold(evaluatorDecider, [evaluatorAccredited({ validFrom: '2024-04-10' })]);
      given(decider, enrolled).when(evaluate({ evaluator: startsThatDay })).then([evaluationRecorded()]);
    });

    it("counts only a credential of the process's provider, with the evaluator acting for that provider", () => {
      const othersOnly = fold(evaluatorDecider, [evaluatorAccredited({ providerId: 'OC-99', credentialFolio: 'OC-CED-1' })]);
      given(decider, enrolled).when(evaluate({ evaluator: othersOnly })).thenThrows('EVALUATOR_NOT_ACCREDITED', { reason: 'not_covered' });
      const both = fold(evaluatorDecider, [evaluatorAccredited(), evaluatorAccredited({ providerId: 'OC-99', credentialFolio: 'OC-CED-1' })]);
      given(decider, enrolled).when(evaluate({ evaluator: both })).then([evaluationRecorded()]);
      given(decider, enrolled)
        .when(evaluate({ evaluator: both }, { ...evaluator, organizationId: 'OC-99' }))
        .thenThrows('NOT_ACTING_FOR_PROVIDER', { providerId: candidateEnrolled().data.providerId });
    });

    it("stays refused when another provider's credential revives an evaluator the process's provider revoked", () => {
      const revocation: EvaluatorAccreditationRevoked = {
        type: 'EvaluatorAccreditationRevoked',
        data: { evaluatorId: EVALUATOR_ID, standardCode: 'EC0105', providerId: candidateEnrolled().data.providerId, reason: 'fraud', revokedAt: NOW },
      };
      const revived = fold(evaluatorDecider, [evaluatorAccredited(), revocation, evaluatorAccredited({ providerId: 'OC-99', credentialFolio: 'OC-CED-1' })]);
      given(decider, enrolled).when(evaluate({ evaluator: revived })).thenThrows('EVALUATOR_NOT_ACCREDITED', { reason: 'revoked' });
    });

    it('refuses an evaluator who trained this candidate (conflict of interest)', () => {
      given(decider, [...enrolled, trained(EVALUATOR_ID)]).when(evaluate()).thenThrows('CONFLICT_OF_INTEREST', { reason: 'evaluator_is_trainer' });
      given(decider, [...enrolled, trained('trainer-3')]).when(evaluate()).then([evaluationRecorded()]);
    });

    it('refuses an evaluator judging their own process (conflict of interest)', () => {
      given(decider, [candidateEnrolled({ subjectId: EVALUATOR_SUBJECT_ID })])
        .when(evaluate())
        .thenThrows('CONFLICT_OF_INTEREST', { reason: 'evaluator_is_candidate' });
    });

    it('needs evaluatedAt not before enrollment, not before the previous judgment, not in the future', () => {
      given(decider, enrolled).when(evaluate({ evaluatedAt: '2024-02-29T10:00:00Z' })).thenThrows('DATE_BEFORE_PREVIOUS_STEP');
      given(decider, notYetCompetent).when(evaluate({ evaluatedAt: '2024-04-01T10:00:00Z' })).thenThrows('DATE_BEFORE_PREVIOUS_STEP');
      given(decider, enrolled).when(evaluate({ evaluatedAt: '2030-01-01' })).thenThrows('DATE_IN_FUTURE');
    });

    it('validates the digest and result, and needs the process', () => {
      given(decider, enrolled).when(evaluate({ evidenceDigest: 'md5:abc' })).thenThrows('EVIDENCE_DIGEST_FORMAT');
      given(decider, enrolled).when(evaluate({ result: 'excellent' as never })).thenThrows('INVALID_FIELD');
      given(decider).when(evaluate()).thenThrows('PROCESS_NOT_FOUND');
    });
  });

  describe('IssueCertificate', () => {
    it('issues after a competent judgment, valid for the standard’s years', () => {
      given(decider, competent).when(issue()).then([issued()]);
    });

    it('moves 29 February to 28 February when the term ends in a common year', () => {
      given(decider, competent)
        .when(issue({ issuedAt: '2024-02-29T12:00:00Z' }))
        .thenThrows('DATE_BEFORE_PREVIOUS_STEP');
      const early = [candidateEnrolled({ enrolledAt: '2024-01-10T00:00:00.000Z' }), evaluationRecorded({ evaluatedAt: '2024-02-20T00:00:00.000Z' })];
      given(decider, early)
        .when(issue({ issuedAt: '2024-02-29T12:00:00Z' }))
        .then([issued({ issuedAt: '2024-02-29T12:00:00.000Z', validUntil: '2029-02-28T12:00:00.000Z' })]);
    });

    it('defaults issuedAt to now and accepts the folio as typed', () => {
      given(decider, competent)
        .when(issue({ issuedAt: undefined, folio: FOLIO.replace(/-/g, '').toLowerCase() }))
        .then([issued({ issuedAt: NOW, validUntil: '2029-06-01T12:00:00.000Z' })]);
    });

    it('refuses without a competent judgment', () => {
      given(decider, enrolled).when(issue()).thenThrows('NOT_COMPETENT');
      given(decider, notYetCompetent).when(issue()).thenThrows('NOT_COMPETENT');
      given(decider).when(issue()).thenThrows('PROCESS_NOT_FOUND');
    });

    it('is only for a certifier of the enrolling provider', () => {
      const error = given(decider, competent).when(issue({}, { ...certifier, organizationId: 'OC-99' })).thenThrows('NOT_ENROLLING_PROVIDER');
      expect(error.kind).toBe('forbidden');
      given(decider, competent).when(issue({}, authority)).thenThrows('ROLE_NOT_ALLOWED');
    });

    it('is idempotent for the same folio (the handler answers with it), a conflict for another', () => {
      given(decider, certified).when(issue({ issuedAt: '2024-05-02T00:00:00Z' })).thenNothing();
      given(decider, certified).when(issue({ folio: OTHER_FOLIO })).thenThrows('CERTIFICATE_ALREADY_ISSUED', { folio: FOLIO });
      given(decider, [...certified, revoked]).when(issue()).thenThrows('CERTIFICATE_ALREADY_ISSUED');
    });

    it('needs issuedAt not before the competent judgment and not in the future', () => {
      given(decider, competent).when(issue({ issuedAt: '2024-04-10T09:59:59Z' })).thenThrows('DATE_BEFORE_PREVIOUS_STEP');
      given(decider, competent).when(issue({ issuedAt: '2024-04-10T10:00:00Z' })).then([
        issued({ issuedAt: '2024-04-10T10:00:00.000Z', validUntil: '2029-04-10T10:00:00.000Z' }),
      ]);
      given(decider, competent).when(issue({ issuedAt: '2024-06-01T12:00:00.001Z' })).thenThrows('DATE_IN_FUTURE');
    });

    it('refuses a mistyped folio', () => {
      given(decider, competent).when(issue({ folio: FOLIO.slice(0, -1) + (FOLIO.endsWith('0') ? '1' : '0') })).thenThrows('FOLIO_CHECK');
    });
  });

  describe('IssueCertificate for an import', () => {
    it('keeps the folio printed on a paper certificate an import brings, beside its own folio', () => {
      given(decider, competent)
        .when(issue({ importRun: 'run-1', printedFolio: 'D-2017/000123' }))
        .then([issued({ importRun: 'run-1', printedFolio: 'D-2017/000123' })]);
      given(decider, competent).when(issue({ importRun: 'run-1' })).then([issued({ importRun: 'run-1' })]);
      given(decider, competent).when(issue({ printedFolio: 'D-2017/000123' })).thenThrows('INVALID_FIELD', { field: 'printedFolio' });
    });

    it('refuses a printed folio that is not a folio: control characters, markup, blank, too long', () => {
      const refusals: [string, string][] = [
        ['D-1\u0000', 'INVALID_TEXT'],
        ['A\u202eB', 'INVALID_TEXT'],
        ['<b>1</b>', 'INVALID_FIELD'],
        ['   ', 'REQUIRED_FIELD'],
        ['-123', 'INVALID_FIELD'],
        ['A'.repeat(65), 'INVALID_FIELD'],
        ['1; DROP', 'INVALID_FIELD'],
      ];
      for (const [printedFolio, code] of refusals) {
        given(decider, competent).when(issue({ importRun: 'run-1', printedFolio })).thenThrows(code as never, { field: 'printedFolio' });
      }
      // Surrounding and doubled spaces go, as in any text the ledger records.
      given(decider, competent)
        .when(issue({ importRun: 'run-1', printedFolio: '  ABC  123 ' }))
        .then([issued({ importRun: 'run-1', printedFolio: 'ABC 123' })]);
    });
  });

  describe('RevokeCertificate', () => {
    it('revokes, by a certifier of the issuing provider or by an authority', () => {
      given(decider, certified).when(revoke()).then([revoked]);
      given(decider, certified).when(revoke({}, authority)).then([revoked]);
    });

    it('needs a non-blank reason', () => {
      given(decider, certified).when(revoke({ reason: '   ' })).thenThrows('REVOCATION_REASON_REQUIRED');
    });

    it('keeps a revoked certificate revoked', () => {
      const error = given(decider, [...certified, revoked]).when(revoke()).thenThrows('CERTIFICATE_ALREADY_REVOKED');
      expect(error.kind).toBe('conflict');
    });

    it('refuses other providers and other roles', () => {
      given(decider, certified).when(revoke({}, { ...certifier, organizationId: 'OC-99' })).thenThrows('NOT_ISSUING_PROVIDER');
      given(decider, certified).when(revoke({}, centreRegistrar)).thenThrows('ROLE_NOT_ALLOWED');
    });

    it('needs the certificate: issued, with that folio', () => {
      given(decider, competent).when(revoke()).thenThrows('CERTIFICATE_NOT_FOUND');
      given(decider, certified).when(revoke({ folio: OTHER_FOLIO })).thenThrows('CERTIFICATE_NOT_FOUND');
      given(decider).when(revoke()).thenThrows('PROCESS_NOT_FOUND');
    });

    it('needs revokedAt not before issuance and not in the future', () => {
      given(decider, certified).when(revoke({ revokedAt: '2024-05-01T16:59:59Z' })).thenThrows('DATE_BEFORE_PREVIOUS_STEP');
      given(decider, certified).when(revoke({ revokedAt: '2024-06-02' })).thenThrows('DATE_IN_FUTURE');
      given(decider, certified)
        .when(revoke({ revokedAt: undefined }))
        .then([{ ...revoked, data: { ...revoked.data, revokedAt: NOW } }]);
    });
  });

  it('folds a whole life: enrolled, trained, not yet competent, competent, certified, revoked', () => {
    const life: CertificationEvent[] = [
      candidateEnrolled(),
      trained(),
      evaluationRecorded({ result: 'not_yet_competent', evaluatedAt: '2024-04-01T10:00:00.000Z' }),
      evaluationRecorded(),
      issued(),
    ];
    given(decider, life)
      .when(revoke())
      .thenState({
        status: 'revoked',
        process: candidateEnrolled().data,
        trainings: [{ trainerId: 'trainer-3', hours: 20, completedAt: '2024-03-20T18:00:00.000Z' }],
        evaluations: [
          { ...withoutProcessId(evaluationRecorded({ result: 'not_yet_competent', evaluatedAt: '2024-04-01T10:00:00.000Z' }).data) },
          withoutProcessId(evaluationRecorded().data),
        ],
        competentEvaluation: { ...withoutProcessId(evaluationRecorded().data), result: 'competent' },
        certificate: { folio: FOLIO, issuedAt: '2024-05-01T17:00:00.000Z', validUntil: '2029-05-01T17:00:00.000Z' },
        revocation: { reason: 'Evidence portfolio was falsified', revokedAt: '2024-05-20T10:00:00.000Z' },
      });
  });
});

function withoutProcessId<T extends { processId: string }>(data: T): Omit<T, 'processId'> {
  const { processId: _processId, ...rest } = data;
  return rest;
}
