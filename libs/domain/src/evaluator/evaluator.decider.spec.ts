import { fold } from '../shared/decider';
import { given } from '../testing/given-when-then';
import { authority, certifier, EVALUATOR_ID, evaluatorAccredited, meta, NOW, PROVIDER_ID } from '../testing/ledger-fixtures';
import type { AccreditEvaluator, RevokeEvaluatorAccreditation } from './evaluator.commands';
import { evaluatorDecider } from './evaluator.decider';
import type { EvaluatorAccreditationRevoked } from './evaluator.events';
import { credentialStanding } from './evaluator.state';

const OTHER_PROVIDER = 'OC-99';
const otherCertifier = { ...certifier, id: 'certifier-9', organizationId: OTHER_PROVIDER };

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
  data: { evaluatorId: EVALUATOR_ID, standardCode: 'EC0105', providerId: PROVIDER_ID, reason: 'Cédula obtained with false documents', revokedAt: NOW, ...overrides },
});
/** The same evaluator accredited by another provider, under a credential of its own. */
const otherProvidersCredential = evaluatorAccredited({ providerId: OTHER_PROVIDER, credentialFolio: 'OC-CED-1', validFrom: '2024-06-01', validUntil: '2030-12-31', accreditedAt: NOW });

describe('evaluator decider', () => {
  describe('AccreditEvaluator', () => {
    it('accredits through the certifier’s own provider', () => {
      given(evaluatorDecider).when(accredit()).then([evaluatorAccredited({ accreditedAt: NOW })]);
    });

    it('starts the credential on the day it is recorded unless validFrom says otherwise', () => {
      given(evaluatorDecider)
        .when(accredit({ validFrom: undefined }))
        .then([evaluatorAccredited({ validFrom: NOW.slice(0, 10), accreditedAt: NOW })]);
      given(evaluatorDecider).when(accredit({ validFrom: '2018-03-01' })).then([evaluatorAccredited({ validFrom: '2018-03-01', accreditedAt: NOW })]);
    });

    it('is for a certifier of that provider only', () => {
      given(evaluatorDecider).when(accredit({}, authority)).thenThrows('ROLE_NOT_ALLOWED');
      given(evaluatorDecider).when(accredit({ providerId: OTHER_PROVIDER })).thenThrows('NOT_ACCREDITING_PROVIDER');
    });

    it('validates its fields', () => {
      given(evaluatorDecider).when(accredit({ standards: [] })).thenThrows('STANDARDS_REQUIRED');
      given(evaluatorDecider).when(accredit({ validUntil: '31/12/2025' })).thenThrows('INVALID_DATE');
      given(evaluatorDecider).when(accredit({ validFrom: '2025-02-30' })).thenThrows('INVALID_DATE', { field: 'validFrom' });
      given(evaluatorDecider).when(accredit({ validFrom: '2026-01-01', validUntil: '2025-12-31' })).thenThrows('VALIDITY_PERIOD_INVALID');
      given(evaluatorDecider).when(accredit({ credentialFolio: '' })).thenThrows('REQUIRED_FIELD');
      given(evaluatorDecider).when(accredit({ credentialFolio: 'CED\u0000' })).thenThrows('INVALID_TEXT', { field: 'credentialFolio' });
    });

    it('adds standards to an accredited evaluator, ignores an identical repeat, refuses another person', () => {
      given(evaluatorDecider, [evaluatorAccredited()])
        .when(accredit({ standards: ['EC0217'] }))
        .then([evaluatorAccredited({ standards: ['EC0217'], accreditedAt: NOW })]);
      given(evaluatorDecider, [evaluatorAccredited()]).when(accredit()).thenNothing();
      given(evaluatorDecider, [evaluatorAccredited()]).when(accredit({ subjectId: 'someone-else' })).thenThrows('EVALUATOR_SUBJECT_MISMATCH');
    });

    it('re-accredits a revoked standard of its own: the later credential supersedes', () => {
      given(evaluatorDecider, [evaluatorAccredited(), revoked()]).when(accredit()).then([evaluatorAccredited({ accreditedAt: NOW })]);
    });

    it('lets another provider accredit the same person under its own credential, never taking over the first', () => {
      const events = given(evaluatorDecider, [evaluatorAccredited(), revoked()])
        .when(accredit({ providerId: OTHER_PROVIDER, credentialFolio: 'OC-CED-1', validFrom: '2024-06-01', validUntil: '2030-12-31' }, otherCertifier))
        .then([otherProvidersCredential]);
      const state = fold(evaluatorDecider, [evaluatorAccredited(), revoked(), ...events]);
      // The first provider's revoked credential stays revoked; the new one counts for the other provider only.
      expect(credentialStanding(state, 'EC0105', PROVIDER_ID, NOW)).toEqual({ usable: false, reason: 'revoked' });
      expect(credentialStanding(state, 'EC0105', OTHER_PROVIDER, NOW)).toMatchObject({ usable: true, credential: { credentialFolio: 'OC-CED-1' } });
    });
  });

  describe('RevokeEvaluatorAccreditation', () => {
    it('revokes one standard’s credential, by the issuing provider or an authority', () => {
      given(evaluatorDecider, [evaluatorAccredited()]).when(revoke()).then([revoked()]);
      given(evaluatorDecider, [evaluatorAccredited()]).when(revoke({}, authority)).then([revoked()]);
    });

    it('is the issuing provider’s own, also after another provider accredited the same evaluator', () => {
      given(evaluatorDecider, [evaluatorAccredited(), otherProvidersCredential]).when(revoke()).then([revoked()]);
      given(evaluatorDecider, [evaluatorAccredited(), otherProvidersCredential])
        .when(revoke({}, otherCertifier))
        .then([revoked({ providerId: OTHER_PROVIDER })]);
    });

    it('refuses other providers and other roles', () => {
      given(evaluatorDecider, [evaluatorAccredited()]).when(revoke({}, otherCertifier)).thenThrows('EVALUATOR_ACCREDITATION_NOT_FOUND');
      given(evaluatorDecider, [evaluatorAccredited()]).when(revoke({ providerId: PROVIDER_ID }, otherCertifier)).thenThrows('NOT_ACCREDITING_PROVIDER');
      given(evaluatorDecider, [evaluatorAccredited()])
        .when(revoke({}, { ...certifier, role: 'registrar' }))
        .thenThrows('ROLE_NOT_ALLOWED');
    });

    it('has an authority name the provider when several hold credentials for the standard', () => {
      given(evaluatorDecider, [evaluatorAccredited(), otherProvidersCredential]).when(revoke({}, authority)).thenThrows('REQUIRED_FIELD', { field: 'providerId' });
      given(evaluatorDecider, [evaluatorAccredited(), otherProvidersCredential])
        .when(revoke({ providerId: OTHER_PROVIDER }, authority))
        .then([revoked({ providerId: OTHER_PROVIDER })]);
    });

    it('needs a reason, an evaluator, a credential for the standard, not yet revoked', () => {
      given(evaluatorDecider, [evaluatorAccredited()]).when(revoke({ reason: ' ' })).thenThrows('REVOCATION_REASON_REQUIRED');
      given(evaluatorDecider, [evaluatorAccredited()]).when(revoke({ reason: 'fraude\u202e' })).thenThrows('INVALID_TEXT', { field: 'reason' });
      given(evaluatorDecider).when(revoke()).thenThrows('EVALUATOR_NOT_FOUND');
      given(evaluatorDecider, [evaluatorAccredited()]).when(revoke({ standardCode: 'EC0217' })).thenThrows('EVALUATOR_ACCREDITATION_NOT_FOUND');
      given(evaluatorDecider, [evaluatorAccredited(), revoked()]).when(revoke()).thenThrows('EVALUATOR_ACCREDITATION_ALREADY_REVOKED');
    });

    it('reads a revocation recorded without a provider (schema 1) as revoking the standard’s latest credential', () => {
      const { providerId: _p, ...legacy } = revoked().data;
      const state = fold(evaluatorDecider, [evaluatorAccredited(), { type: 'EvaluatorAccreditationRevoked', data: legacy }]);
      expect(credentialStanding(state, 'EC0105', PROVIDER_ID, NOW)).toEqual({ usable: false, reason: 'revoked' });
    });
  });

  it('says whether a credential of a provider is usable at an instant, from validFrom to validUntil', () => {
    const state = fold(evaluatorDecider, [evaluatorAccredited()]);
    expect(credentialStanding(state, 'EC0105', PROVIDER_ID, '2019-01-01T00:00:00.000Z').usable).toBe(true);
    expect(credentialStanding(state, 'EC0105', PROVIDER_ID, '2025-12-31T23:59:59.000Z').usable).toBe(true);
    expect(credentialStanding(state, 'EC0105', PROVIDER_ID, '2018-12-31T23:59:59.000Z')).toEqual({ usable: false, reason: 'not_yet_valid' });
    expect(credentialStanding(state, 'EC0105', PROVIDER_ID, '2026-01-01T00:00:00.000Z')).toEqual({ usable: false, reason: 'expired' });
    expect(credentialStanding(state, 'EC0217', PROVIDER_ID, NOW)).toEqual({ usable: false, reason: 'not_covered' });
    expect(credentialStanding(state, 'EC0105', OTHER_PROVIDER, NOW)).toEqual({ usable: false, reason: 'not_covered' });
    expect(credentialStanding(fold(evaluatorDecider, [evaluatorAccredited(), revoked()]), 'EC0105', PROVIDER_ID, NOW)).toEqual({
      usable: false,
      reason: 'revoked',
    });
    expect(credentialStanding(evaluatorDecider.initialState, 'EC0105', PROVIDER_ID, NOW)).toEqual({ usable: false, reason: 'not_registered' });
  });

  it('lets a renewal govern the dates it covers and the earlier credential the dates before it', () => {
    const renewal = evaluatorAccredited({ credentialFolio: 'CED-0105-0008', validFrom: '2024-01-01', validUntil: '2028-12-31', accreditedAt: NOW });
    const state = fold(evaluatorDecider, [evaluatorAccredited(), renewal]);
    expect(credentialStanding(state, 'EC0105', PROVIDER_ID, '2020-05-01T00:00:00.000Z')).toMatchObject({ credential: { credentialFolio: 'CED-0105-0007' } });
    expect(credentialStanding(state, 'EC0105', PROVIDER_ID, '2024-05-01T00:00:00.000Z')).toMatchObject({ credential: { credentialFolio: 'CED-0105-0008' } });
    expect(credentialStanding(state, 'EC0105', PROVIDER_ID, '2027-05-01T00:00:00.000Z')).toMatchObject({ credential: { credentialFolio: 'CED-0105-0008' } });
  });
});
