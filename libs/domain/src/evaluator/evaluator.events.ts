/**
 * Stream: `evaluator-{evaluatorId}`. The evaluator's CURP and name live in
 * their person stream; here only the opaque subjectId.
 */
export type EvaluatorEvent = EvaluatorAccredited | EvaluatorAccreditationRevoked;

export interface EvaluatorAccredited {
  type: 'EvaluatorAccredited';
  data: {
    evaluatorId: string;
    subjectId: string;
    /** The provider through which the credential ("cédula") was issued. */
    providerId: string;
    /** Standard codes this credential covers; a later event for the same standard supersedes. */
    standards: string[];
    credentialFolio: string;
    /** Calendar date `YYYY-MM-DD`, inclusive. */
    validUntil: string;
    accreditedAt: string;
  };
}

export interface EvaluatorAccreditationRevoked {
  type: 'EvaluatorAccreditationRevoked';
  data: { evaluatorId: string; standardCode: string; reason: string; revokedAt: string };
}
