import { given } from '../testing/given-when-then';
import { authority, centreAccredited, certifier, meta, NOW, PROVIDER_ID, providerAccredited } from '../testing/ledger-fixtures';
import type { AccreditProvider } from './provider.commands';
import { providerDecider } from './provider.decider';
import { isAccreditedFor } from './provider.state';
import { fold } from '../shared/decider';

const accredit = (data: Partial<AccreditProvider['data']> = {}, actor = authority): AccreditProvider => {
  const { accreditedAt: _accreditedAt, ...fields } = providerAccredited().data;
  return { type: 'AccreditProvider', data: { ...fields, ...data }, metadata: meta(actor) };
};

describe('provider decider', () => {
  it('accredits an ECE for its standards and period', () => {
    given(providerDecider).when(accredit()).then([providerAccredited({ accreditedAt: NOW })]);
  });

  it('accredits a CE with the ECE that proposed it', () => {
    const { accreditedAt: _a, ...centre } = centreAccredited().data;
    given(providerDecider).when(accredit(centre)).then([centreAccredited({ accreditedAt: NOW })]);
  });

  it('is for the authority only', () => {
    given(providerDecider).when(accredit({}, certifier)).thenThrows('ROLE_NOT_ALLOWED');
  });

  it('needs at least one valid standard, deduplicated', () => {
    given(providerDecider).when(accredit({ standards: [] })).thenThrows('STANDARDS_REQUIRED');
    given(providerDecider).when(accredit({ standards: ['EC01'] })).thenThrows('STANDARD_CODE_FORMAT');
    given(providerDecider)
      .when(accredit({ standards: ['ec0105', 'EC0105', 'EC0217'] }))
      .then([providerAccredited({ accreditedAt: NOW })]);
  });

  it('needs validFrom on or before validUntil, both real dates', () => {
    given(providerDecider).when(accredit({ validFrom: '2027-01-01' })).thenThrows('VALIDITY_PERIOD_INVALID');
    given(providerDecider).when(accredit({ validUntil: '2026-02-29' })).thenThrows('INVALID_DATE');
    given(providerDecider)
      .when(accredit({ validFrom: '2026-12-31' }))
      .then([providerAccredited({ validFrom: '2026-12-31', accreditedAt: NOW })]);
  });

  it('requires a parent for a CE and refuses one for an ECE or OC', () => {
    const { accreditedAt: _a, parentProviderId: _p, ...orphan } = centreAccredited().data;
    given(providerDecider).when(accredit(orphan)).thenThrows('REQUIRED_FIELD', { field: 'parentProviderId' });
    given(providerDecider).when(accredit({ parentProviderId: 'OTHER' })).thenThrows('INVALID_FIELD', { field: 'parentProviderId' });
    given(providerDecider).when(accredit({ kind: 'XX' as never })).thenThrows('INVALID_FIELD', { field: 'kind' });
  });

  it('replaces the accreditation on renewal, and ignores an identical repeat', () => {
    given(providerDecider, [providerAccredited()]).when(accredit()).thenNothing();
    given(providerDecider, [providerAccredited()])
      .when(accredit({ validUntil: '2029-12-31' }))
      .thenState({ status: 'accredited', ...providerAccredited({ validUntil: '2029-12-31', accreditedAt: NOW }).data });
  });

  it('tells whether a standard is covered on a date, both ends inclusive', () => {
    const state = fold(providerDecider, [providerAccredited()]);
    expect(isAccreditedFor(state, 'EC0105', '2018-01-01')).toBe(true);
    expect(isAccreditedFor(state, 'EC0105', '2026-12-31')).toBe(true);
    expect(isAccreditedFor(state, 'EC0105', '2027-01-01')).toBe(false);
    expect(isAccreditedFor(state, 'EC0301', '2020-01-01')).toBe(false);
    expect(isAccreditedFor(providerDecider.initialState, 'EC0105', '2020-01-01')).toBe(false);
  });
});
