/** Stream: `certification-{processId}`. No personal data: the person is `subjectId`. */
export type CertificationEvent =
  | CandidateEnrolled
  | TrainingRecorded
  | EvaluationRecorded
  | CertificateIssued
  | CertificateRevoked;

export type Employment = 'base' | 'confianza' | 'honorarios' | 'other';
export type EvaluationResult = 'competent' | 'not_yet_competent';

export interface Jurisdiction {
  /** State code, e.g. `BC`, `QR`, `CMX` (see domain/shared/states.ts). */
  state: string;
  municipality?: string;
}

export interface CandidateEnrolled {
  type: 'CandidateEnrolled';
  data: {
    processId: string;
    subjectId: string;
    standardCode: string;
    standardVersion: string;
    /** Copied from the standard at enrollment, so issuance needs no other stream. */
    validityYears: number;
    providerId: string;
    /** The organization of the registrar who enrolled (the evaluation centre, or the provider itself). */
    centreId: string;
    agency: string;
    jurisdiction: Jurisdiction;
    employment: Employment;
    enrolledAt: string;
  };
}

export interface TrainingRecorded {
  type: 'TrainingRecorded';
  data: { processId: string; trainerId: string; hours: number; completedAt: string };
}

export interface EvaluationRecorded {
  type: 'EvaluationRecorded';
  data: {
    processId: string;
    evaluatorId: string;
    result: EvaluationResult;
    /**
     * `sha256:<64 hex>`: the evidence stays outside the ledger. Absent only
     * from a historical judgment an import brought from a registry that kept
     * no digest (then importRun says which).
     */
    evidenceDigest?: string;
    evaluatedAt: string;
    /** The evaluator's credential in force on evaluatedAt. */
    credentialFolio: string;
    /** The import run (`ledger import`) that recorded this historical judgment. */
    importRun?: string;
  };
}

export interface CertificateIssued {
  type: 'CertificateIssued';
  data: {
    processId: string;
    folio: string;
    subjectId: string;
    standardCode: string;
    providerId: string;
    evaluatorId: string;
    issuedAt: string;
    /** issuedAt + the standard's validityYears. */
    validUntil: string;
    /** The import run (`ledger import`) that recorded this certificate, issued on paper before the ledger. */
    importRun?: string;
    /** The folio printed on that paper certificate (public verification uses `folio`: a printed one may be guessable). */
    printedFolio?: string;
  };
}

export interface CertificateRevoked {
  type: 'CertificateRevoked';
  data: { processId: string; folio: string; reason: string; revokedAt: string };
}
