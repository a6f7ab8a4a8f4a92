import type { ProviderAccredited } from './provider.events';
import { isWithinDates, type IsoDate } from '../shared/iso-date';

export type ProviderAccreditation = ProviderAccredited['data'];

export type ProviderState = { status: 'unaccredited' } | ({ status: 'accredited' } & ProviderAccreditation);

export type AccreditedProvider = Extract<ProviderState, { status: 'accredited' }>;

/** True when the provider's current accreditation covers the standard on that calendar date. */
export function isAccreditedFor(state: ProviderState, standardCode: string, date: IsoDate): state is AccreditedProvider {
  return (
    state.status === 'accredited' &&
    state.standards.includes(standardCode) &&
    isWithinDates(date, state.validFrom, state.validUntil)
  );
}
