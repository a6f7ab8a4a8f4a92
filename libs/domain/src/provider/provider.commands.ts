import type { Command } from '../shared/command';
import type { ProviderKind } from './provider.events';

/**
 * Authority only. Also renews or amends: the latest accreditation of a provider
 * replaces the earlier one. A CE names the ECE/OC that proposed it.
 */
export type AccreditProvider = Command<
  'AccreditProvider',
  {
    providerId: string;
    kind: ProviderKind;
    name: string;
    accreditationCode: string;
    standards: string[];
    /** Calendar dates `YYYY-MM-DD`, both inclusive. */
    validFrom: string;
    validUntil: string;
    parentProviderId?: string;
  }
>;

export type ProviderCommand = AccreditProvider;
