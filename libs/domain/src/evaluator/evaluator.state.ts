import { isoDateOf, type IsoInstant } from '../shared/iso-date';

/** The credential in force for one standard; a later accreditation for that standard replaces it. */
export interface EvaluatorCredential {
  standardCode: string;
  providerId: string;
  credentialFolio: string;
  /** Calendar date `YYYY-MM-DD`, inclusive. */
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
      /** By standard code. */
      credentials: Readonly<Record<string, EvaluatorCredential>>;
    };

export type RegisteredEvaluator = Extract<EvaluatorState, { status: 'registered' }>;

export type CredentialStanding =
  | { usable: true; credential: EvaluatorCredential }
  | { usable: false; reason: 'not_registered' | 'not_covered' | 'revoked' | 'expired' };

/**
 * Whether the evaluator may judge this standard at this instant: a credential
 * covers it, it is not revoked, and the evaluation's calendar date is not past
 * its expiry. The credential carries no start date in the contract, so none is checked.
 */
export function credentialStanding(state: EvaluatorState, standardCode: string, at: IsoInstant): CredentialStanding {
  if (state.status === 'unregistered') return { usable: false, reason: 'not_registered' };
  const credential = state.credentials[standardCode];
  if (credential === undefined) return { usable: false, reason: 'not_covered' };
  if (credential.revocation !== undefined) return { usable: false, reason: 'revoked' };
  if (isoDateOf(at) > credential.validUntil) return { usable: false, reason: 'expired' };
  return { usable: true, credential };
}
