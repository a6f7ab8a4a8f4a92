import { assertNever, type Decider } from '../shared/decider';
import { DomainError, ensure } from '../shared/domain-error';
import { nowOf, requireRole, requireText } from '../shared/guards';
import { parseStandardCode, parseStandardVersion } from '../shared/standard-code';
import type { RegisterStandard, RetireStandard, StandardCommand } from './standard.commands';
import type { StandardEvent } from './standard.events';
import type { StandardState } from './standard.state';

export const MIN_VALIDITY_YEARS = 1;
export const MAX_VALIDITY_YEARS = 10;

export const initialState: StandardState = { status: 'unregistered' };

export function decide(command: StandardCommand, state: StandardState): StandardEvent[] {
  switch (command.type) {
    case 'RegisterStandard':
      return register(command, state);
    case 'RetireStandard':
      return retire(command, state);
    default: {
      const _exhaustive: never = command;
      return assertNever(_exhaustive, 'standard command');
    }
  }
}

function register({ data, metadata }: RegisterStandard, state: StandardState): StandardEvent[] {
  requireRole(metadata.actor, ['authority'], 'register standards');
  const code = parseStandardCode(data.code, 'code');
  const version = parseStandardVersion(data.version);
  const title = requireText(data.title, 'title');
  const years = data.validityYears;
  ensure(
    Number.isInteger(years) && years >= MIN_VALIDITY_YEARS && years <= MAX_VALIDITY_YEARS,
    'VALIDITY_YEARS_OUT_OF_RANGE',
    `validityYears must be a whole number from ${MIN_VALIDITY_YEARS} to ${MAX_VALIDITY_YEARS}`,
    { field: 'validityYears' },
  );
  ensure(state.status === 'unregistered', 'STANDARD_ALREADY_REGISTERED', `standard ${code} is already registered`, { code });
  return [{ type: 'StandardRegistered', data: { code, version, title, validityYears: years, registeredAt: nowOf(metadata) } }];
}

function retire({ data, metadata }: RetireStandard, state: StandardState): StandardEvent[] {
  requireRole(metadata.actor, ['authority'], 'retire standards');
  const code = parseStandardCode(data.code, 'code');
  const reason = requireText(data.reason, 'reason');
  if (state.status === 'unregistered') throw new DomainError('STANDARD_NOT_FOUND', `standard ${code} is not registered`, { code });
  ensure(state.status === 'active', 'STANDARD_ALREADY_RETIRED', `standard ${code} is already retired`, { code });
  return [{ type: 'StandardRetired', data: { code, reason, retiredAt: nowOf(metadata) } }];
}

export function evolve(state: StandardState, event: StandardEvent): StandardState {
  switch (event.type) {
    case 'StandardRegistered':
      return { status: 'active', ...event.data };
    case 'StandardRetired':
      if (state.status === 'unregistered') return state;
      return { ...state, status: 'retired', retiredAt: event.data.retiredAt, retirementReason: event.data.reason };
    default: {
      const _exhaustive: never = event;
      return assertNever(_exhaustive, 'standard event');
    }
  }
}

export const standardDecider: Decider<StandardCommand, StandardEvent, StandardState> = { decide, evolve, initialState };
