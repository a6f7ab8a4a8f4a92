import { given } from '../testing/given-when-then';
import { authority, certifier, meta, NOW, standardRegistered } from '../testing/ledger-fixtures';
import type { RegisterStandard, RetireStandard } from './standard.commands';
import { standardDecider } from './standard.decider';

const register = (data: Partial<RegisterStandard['data']> = {}, actor = authority): RegisterStandard => ({
  type: 'RegisterStandard',
  data: { code: 'EC0105', version: '01', title: 'Atención al ciudadano en el sector público', validityYears: 5, ...data },
  metadata: meta(actor),
});
const retire = (data: Partial<RetireStandard['data']> = {}): RetireStandard => ({
  type: 'RetireStandard',
  data: { code: 'EC0105', reason: 'Superseded by EC1234', ...data },
  metadata: meta(authority),
});

describe('standard decider', () => {
  describe('RegisterStandard', () => {
    it('registers a new standard, stamped with the server clock', () => {
      given(standardDecider).when(register({ code: ' ec0105 ' })).then([standardRegistered({ registeredAt: NOW })]);
    });

    it('is for the authority only', () => {
      given(standardDecider).when(register({}, certifier)).thenThrows('ROLE_NOT_ALLOWED');
    });

    it('rejects a code already registered', () => {
      given(standardDecider, [standardRegistered()]).when(register()).thenThrows('STANDARD_ALREADY_REGISTERED');
    });

    it.each([0, 11, 2.5, Number.NaN])('rejects validityYears %p', (validityYears) => {
      given(standardDecider).when(register({ validityYears })).thenThrows('VALIDITY_YEARS_OUT_OF_RANGE');
    });

    it.each([1, 10])('accepts validityYears %p', (validityYears) => {
      given(standardDecider).when(register({ validityYears })).then([standardRegistered({ validityYears, registeredAt: NOW })]);
    });

    it('validates code, version and title', () => {
      given(standardDecider).when(register({ code: 'EC105' })).thenThrows('STANDARD_CODE_FORMAT');
      given(standardDecider).when(register({ version: 'v1' })).thenThrows('STANDARD_VERSION_FORMAT');
      given(standardDecider).when(register({ title: '  ' })).thenThrows('REQUIRED_FIELD', { field: 'title' });
    });
  });

  describe('RetireStandard', () => {
    it('retires an active standard', () => {
      given(standardDecider, [standardRegistered()])
        .when(retire())
        .then([{ type: 'StandardRetired', data: { code: 'EC0105', reason: 'Superseded by EC1234', retiredAt: NOW } }]);
    });

    it('needs the standard registered, not yet retired, and a reason', () => {
      given(standardDecider).when(retire()).thenThrows('STANDARD_NOT_FOUND');
      given(standardDecider, [standardRegistered(), { type: 'StandardRetired', data: { code: 'EC0105', reason: 'x', retiredAt: NOW } }])
        .when(retire())
        .thenThrows('STANDARD_ALREADY_RETIRED');
      given(standardDecider, [standardRegistered()]).when(retire({ reason: '' })).thenThrows('REQUIRED_FIELD');
    });

    it('folds to a retired state that keeps the standard facts', () => {
      given(standardDecider, [standardRegistered()])
        .when(retire())
        .thenState({ ...standardRegistered().data, status: 'retired', retiredAt: NOW, retirementReason: 'Superseded by EC1234' });
    });
  });
});
