/** Stream: `provider-{providerId}`. */
export type ProviderEvent = ProviderAccredited;

export type ProviderKind = 'ECE' | 'OC' | 'CE';

export interface ProviderAccredited {
  type: 'ProviderAccredited';
  data: {
    providerId: string;
    kind: ProviderKind;
    name: string;
    /** e.g. `ECE322-18` */
    accreditationCode: string;
    /** Standard codes (EC0105, …) the accreditation covers. */
    standards: string[];
    /** Calendar dates `YYYY-MM-DD`, both inclusive. */
    validFrom: string;
    validUntil: string;
    /** For a CE: the ECE/OC that proposed it. */
    parentProviderId?: string;
    accreditedAt: string;
  };
}
