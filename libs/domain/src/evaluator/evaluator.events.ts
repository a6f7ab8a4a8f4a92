/**
 * Stream: `evaluator-{evaluatorId}`. The evaluator's CURP and name live in
 * their person stream; here only the opaque subjectId.
 */
export type EvaluatorEvent = EvaluatorAccredited | EvaluatorAccreditationRevoked;

/**
 * A credential ("cédula") for some standards, issued through one provider.
 * It belongs to that provider: another provider's accreditation of the same
 * evaluator is a credential of its own beside this one. A later credential of
 * the same provider for the same standard supersedes this one on the dates it covers.
 */
export interface EvaluatorAccredited {
  type: 'EvaluatorAccredited';
  data: {
    evaluatorId: string;
    subjectId: string;
    /** The provider through which the credential was issued, and that owns it. */
    providerId: string;
    /** Standard codes this credential covers. */
    standards: string[];
    credentialFolio: string;
    /**
     * Calendar date `YYYY-MM-DD`, inclusive: the credential is in force from
     * here. Events recorded before the field existed (schema version 1) are
     * read as starting on the day they were recorded.
     */
    validFrom: string;
    /** Calendar date `YYYY-MM-DD`, inclusive. */
    validUntil: string;
    accreditedAt: string;
  };
}

export interface EvaluatorAccreditationRevoked {
  type: 'EvaluatorAccreditationRevoked';
  data: {
    evaluatorId: string;
    standardCode: string;
    /**
     * Whose credential is revoked. Absent only in events recorded when an
     * evaluator held one credential per standard (schema version 1): those
     * revoke the standard's latest credential, whichever provider issued it.
     */
    providerId?: string;
    reason: string;
    revokedAt: string;
  };
}
