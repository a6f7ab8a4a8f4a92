import { fold } from '../shared/decider';
import { given } from '../testing/given-when-then';
import { authority, certifier, EVALUATOR_ID, evaluatorAccredited, meta, NOW } from '../testing/ledger-fixtures';
import type { AccreditEvaluator, RevokeEvaluatorAccreditation } from './evaluator.commands';
import { evaluatorDecider } from './evaluator.decider';
import type { EvaluatorAccreditationRevoked } from './evaluator.events';
import { credentialStanding } from './evaluator.state';

const accredit = (data: Partial<AccreditEvaluator['data']> = {}, actor = certifier): AccreditEvaluator => {
  const { accreditedAt: _a, ...fields } = evaluatorAccredited().data;
  return { type: 'AccreditEvaluator', data: { ...fields, ...data }, metadata: meta(actor) };
};
const revoke = (data: Partial<RevokeEvaluatorAccreditation['data']> = {}, actor = certifier): RevokeEvaluatorAccreditation => ({
  type: 'RevokeEvaluatorAccreditation',
  data: { evaluatorId: EVALUATOR_ID, standardCode: 'EC0105', reason: 'Cédula obtained with false documents', ...data },
  metadata: meta(actor),
});
const revoked = (overrides: Partial<EvaluatorAccreditationRevoked['data']> = {}): EvaluatorAccreditationRevoked => ({
  type: 'EvaluatorAccreditationRevoked',
  data: { evaluatorId: EVALUATOR_ID, standardCode: 'EC0105', reason: 'Cédula obtained with false documents', revokedAt: NOW, ...overrides },
});

describe('evaluator decider', () => {
  describe('AccreditEvaluator', () => {
    it('accredits through the certifier’s own provider', () => {
      given(evaluatorDecider).when(accredit()).then([evaluatorAccredited({ accreditedAt: NOW })]);
    });

    it('is for a certifier of that provider only', () => {
      given(evaluatorDecider).when(accredit({}, authority)).thenThrows('ROLE_NOT_ALLOWED');
      given(evaluatorDecider).when(accredit({ providerId: 'OC-99' })).thenThrows('NOT_ACCREDITING_PROVIDER');
    });

    it('validates its fields', () => {
      given(evaluatorDecider).when(accredit({ standards: [] })).thenThrows('STANDARDS_REQUIRED');
      given(evaluatorDecider).when(accredit({ validUntil: '31/12/2025' })).thenThrows('INVALID_DATE');
      given(evaluatorDecider).when(accredit({ credentialFolio: '' })).thenThrows('REQUIRED_FIELD');
    });

    it('adds standards to an accredited evaluator, ignores an identical repeat, refuses another person', () => {
      given(evaluatorDecider, [evaluatorAccredited()])
        .when(accredit({ standards: ['EC0217'] }))
        .then([evaluatorAccredited({ standards: ['EC0217'], accreditedAt: NOW })]);
      given(evaluatorDecider, [evaluatorAccredited()]).when(accredit()).thenNothing();
      given(evaluatorDecider, [evaluatorAccredited()]).when(accredit({ subjectId: 'someone-else' })).thenThrows('EVALUATOR_SUBJECT_MISMATCH');
    });

    it('re-accredits a revoked standard: the later credential supersedes', () => {
      given(evaluatorDecider, [evaluatorAccredited(), revoked()]).when(accredit()).then([evaluatorAccredited({ accreditedAt: NOW })]);
    });
  });

  describe('RevokeEvaluatorAccreditation', () => {
    it('revokes one standard’s credential, by the issuing provider or an authority', () => {
      given(evaluatorDecider, [evaluatorAccredited()]).when(revoke()).then([revoked()]);
      given(evaluatorDecider, [evaluatorAccredited()]).when(revoke({}, authority)).then([revoked()]);
    });

    it('refuses other providers and other roles', () => {
      const otherCertifier = { ...certifier, organizationId: 'OC-99' };
      given(evaluatorDecider, [evaluatorAccredited()]).when(revoke({}, otherCertifier)).thenThrows('NOT_ACCREDITING_PROVIDER');
      given(evaluatorDecider, [evaluatorAccredited()])
        .when(revoke({}, { ...certifier, role: 'registrar' }))
        .thenThrows('ROLE_NOT_ALLOWED');
    });

    it('needs a reason, an evaluator, a credential for the standard, not yet revoked', () => {
      given(evaluatorDecider, [evaluatorAccredited()]).when(revoke({ reason: ' ' })).thenThrows('REVOCATION_REASON_REQUIRED');
      given(evaluatorDecider).when(revoke()).thenThrows('EVALUATOR_NOT_FOUND');
      given(evaluatorDecider, [evaluatorAccredited()]).when(revoke({ standardCode: 'EC0217' })).thenThrows('EVALUATOR_ACCREDITATION_NOT_FOUND');
      given(evaluatorDecider, [evaluatorAccredited(), revoked()]).when(revoke()).thenThrows('EVALUATOR_ACCREDITATION_ALREADY_REVOKED');
    });
  });

  it('says whether a credential is usable at an instant', () => {
    const state = fold(evaluatorDecider, [evaluatorAccredited()]);
    expect(credentialStanding(state, 'EC0105', '2025-12-31T23:59:59.000Z').usable).toBe(true);
    expect(credentialStanding(state, 'EC0105', '2026-01-01T00:00:00.000Z')).toEqual({ usable: false, reason: 'expired' });
    expect(credentialStanding(state, 'EC0217', NOW)).toEqual({ usable: false, reason: 'not_covered' });
    expect(credentialStanding(fold(evaluatorDecider, [evaluatorAccredited(), revoked()]), 'EC0105', NOW)).toEqual({
      usable: false,
      reason: 'revoked',
    });
    expect(credentialStanding(evaluatorDecider.initialState, 'EC0105', NOW)).toEqual({ usable: false, reason: 'not_registered' });
  });
});
