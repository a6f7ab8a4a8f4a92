import { isoDateOf, isWithinDates, type IsoInstant } from '../shared/iso-date';

/** One credential: one provider, one standard, one period, as recorded. */
export interface EvaluatorCredential {
  standardCode: string;
  /** The provider that issued it and owns it. */
  providerId: string;
  credentialFolio: string;
  /** Calendar dates `YYYY-MM-DD`, both inclusive. */
  validFrom: string;
  validUntil: string;
  accreditedAt: string;
  revocation?: { reason: string; revokedAt: string };
}

export type EvaluatorState =
  | { status: 'unregistered' }
  | {
      status: 'registered';
      evaluatorId: string;
      subjectId: string;
      /** Every credential ever recorded, in the order recorded. */
      credentials: readonly EvaluatorCredential[];
    };

export type RegisteredEvaluator = Extract<EvaluatorState, { status: 'registered' }>;

export type CredentialStanding =
  | { usable: true; credential: EvaluatorCredential }
  | { usable: false; reason: 'not_registered' | 'not_covered' | 'not_yet_valid' | 'expired' | 'revoked' };

/** The provider's latest credential for the standard: the one a renewal supersedes and a revocation revokes. */
export function currentCredential(state: EvaluatorState, standardCode: string, providerId: string): EvaluatorCredential | undefined {
  if (state.status === 'unregistered') return undefined;
  return state.credentials.findLast((credential) => credential.standardCode === standardCode && credential.providerId === providerId);
}

/** The providers holding a credential (revoked or not) for the standard, each once, in the order first recorded. */
export function credentialProviders(state: EvaluatorState, standardCode: string): string[] {
  if (state.status === 'unregistered') return [];
  return [...new Set(state.credentials.filter((credential) => credential.standardCode === standardCode).map((c) => c.providerId))];
}

/**
 * Whether the evaluator may judge this standard at this instant for this
 * provider: of the provider's credentials for the standard, the latest one
 * recorded whose period covers the date governs it, and it must not be
 * revoked. A credential of another provider never counts.
 */
export function credentialStanding(state: EvaluatorState, standardCode: string, providerId: string, at: IsoInstant): CredentialStanding {
  if (state.status === 'unregistered') return { usable: false, reason: 'not_registered' };
  const own = state.credentials.filter((credential) => credential.standardCode === standardCode && credential.providerId === providerId);
  if (own.length === 0) return { usable: false, reason: 'not_covered' };
  const date = isoDateOf(at);
  const governing = own.findLast((credential) => isWithinDates(date, credential.validFrom, credential.validUntil));
  if (governing === undefined) return { usable: false, reason: own.every((credential) => date < credential.validFrom) ? 'not_yet_valid' : 'expired' };
  if (governing.revocation !== undefined) return { usable: false, reason: 'revoked' };
  return { usable: true, credential: governing };
}
