import { assertNever, type Decider } from '../shared/decider';
import { DomainError, ensure } from '../shared/domain-error';
import { nowOf, requireId, requireRole, requireText, standardList } from '../shared/guards';
import { ensureIsoDate } from '../shared/iso-date';
import type { AccreditProvider, ProviderCommand } from './provider.commands';
import type { ProviderEvent, ProviderKind } from './provider.events';
import type { ProviderAccreditation, ProviderState } from './provider.state';

const PROVIDER_KINDS: readonly ProviderKind[] = ['ECE', 'OC', 'CE'];

export const initialState: ProviderState = { status: 'unaccredited' };

export function decide(command: ProviderCommand, state: ProviderState): ProviderEvent[] {
  switch (command.type) {
    case 'AccreditProvider':
      return accredit(command, state);
    default: {
      const _exhaustive: never = command.type;
      return assertNever(_exhaustive, 'provider command');
    }
  }
}

function accredit({ data, metadata }: AccreditProvider, state: ProviderState): ProviderEvent[] {
  requireRole(metadata.actor, ['authority'], 'accredit providers');
  const accreditation = validAccreditation(data);
  if (state.status === 'accredited' && sameAccreditation(state, accreditation)) return [];
  return [{ type: 'ProviderAccredited', data: { ...accreditation, accreditedAt: nowOf(metadata) } }];
}

type AccreditationFields = Omit<ProviderAccreditation, 'accreditedAt'>;

function validAccreditation(data: AccreditProvider['data']): AccreditationFields {
  const providerId = requireId(data.providerId, 'providerId');
  ensure(PROVIDER_KINDS.includes(data.kind), 'INVALID_FIELD', 'kind must be ECE, OC or CE', { field: 'kind' });
  const validFrom = ensureIsoDate(data.validFrom, 'validFrom');
  const validUntil = ensureIsoDate(data.validUntil, 'validUntil');
  ensure(validFrom <= validUntil, 'VALIDITY_PERIOD_INVALID', 'validFrom must not be after validUntil', { field: 'validUntil' });
  return {
    providerId,
    kind: data.kind,
    name: requireText(data.name, 'name', 300),
    accreditationCode: requireText(data.accreditationCode, 'accreditationCode', 64),
    standards: standardList(data.standards),
    validFrom,
    validUntil,
    ...parentOf(data, providerId),
  };
}

/** A CE must name its proposing ECE/OC (enrollment through a CE relies on it); others must not. */
function parentOf(data: AccreditProvider['data'], providerId: string): { parentProviderId?: string } {
  if (data.kind !== 'CE') {
    const noParent = data.parentProviderId === undefined || data.parentProviderId === null;
    ensure(noParent, 'INVALID_FIELD', 'only a CE has a parent provider', { field: 'parentProviderId' });
    return {};
  }
  const parentProviderId = requireId(data.parentProviderId, 'parentProviderId');
  if (parentProviderId === providerId) {
    throw new DomainError('INVALID_FIELD', 'a CE cannot be its own parent provider', { field: 'parentProviderId' });
  }
  return { parentProviderId };
}

function sameAccreditation(current: ProviderAccreditation, next: AccreditationFields): boolean {
  return (
    current.kind === next.kind &&
    current.name === next.name &&
    current.accreditationCode === next.accreditationCode &&
    current.standards.join() === next.standards.join() &&
    current.validFrom === next.validFrom &&
    current.validUntil === next.validUntil &&
    current.parentProviderId === next.parentProviderId
  );
}

export function evolve(_state: ProviderState, event: ProviderEvent): ProviderState {
  switch (event.type) {
    case 'ProviderAccredited':
      return { status: 'accredited', ...event.data };
    default: {
      const _exhaustive: never = event.type;
      return assertNever(_exhaustive, 'provider event');
    }
  }
}

export const providerDecider: Decider<ProviderCommand, ProviderEvent, ProviderState> = { decide, evolve, initialState };
