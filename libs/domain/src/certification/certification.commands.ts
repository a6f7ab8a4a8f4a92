import type { EvaluatorState } from '../evaluator/evaluator.state';
import type { ProviderState } from '../provider/provider.state';
import type { Command } from '../shared/command';
import type { StandardState } from '../standard/standard.state';
import type { Employment, EvaluationResult, Jurisdiction } from './certification.events';
import type { EarlierProcess } from './certification.state';

/**
 * A registrar of the provider itself, or of a CE the provider proposed. The
 * handler passes the folded states it read: the standard, the provider, the
 * actor's centre when the actor's organization is not the provider, and the
 * person's earlier processes for this standard (as for OpenEnrollment).
 * Decide this before OpenEnrollment's events are appended, so a rejected
 * enrollment never leaves an open process on the person stream.
 */
export type EnrollCandidate = Command<
  'EnrollCandidate',
  {
    processId: string;
    subjectId: string;
    standardCode: string;
    providerId: string;
    agency: string;
    jurisdiction: Jurisdiction;
    employment: Employment;
    /** Defaults to metadata.now. */
    enrolledAt?: string;
    standard: StandardState;
    provider: ProviderState;
    /** The provider state of `metadata.actor.organizationId`, when that is a CE. */
    centre?: ProviderState;
    earlierProcesses: readonly EarlierProcess[];
  }
>;

/** A registrar of the enrolling centre or provider. Training is optional and never required for evaluation. */
export type RecordTraining = Command<
  'RecordTraining',
  { processId: string; trainerId: string; hours: number; completedAt?: string }
>;

/** The evaluator, acting as itself (actor.id === evaluatorId), with its folded evaluator state. */
export type RecordEvaluation = Command<
  'RecordEvaluation',
  {
    processId: string;
    evaluatorId: string;
    result: EvaluationResult;
    /** Required, but for a judgment an import brings from a registry that kept no digest of the evidence. */
    evidenceDigest?: string;
    evaluatedAt?: string;
    evaluator: EvaluatorState;
    /** The import run that brings this historical judgment (`ledger import`), absent for the API. */
    importRun?: string;
  }
>;

/**
 * A certifier of the enrolling provider. `folio` is the one the handler
 * assigned on the folio stream. Issuing again with the same folio yields no
 * events: the handler then answers with the folio already issued.
 */
export type IssueCertificate = Command<
  'IssueCertificate',
  {
    processId: string;
    folio: string;
    issuedAt?: string;
    /** An import run (`ledger import`) that brings a certificate issued before the ledger; absent for the API. */
    importRun?: string;
    /** The folio printed on that paper certificate, kept as it is beside the ledger's own folio; only with importRun. */
    printedFolio?: string;
  }
>;

/** A certifier of the issuing provider, or an authority. The handler resolves folio → processId. */
export type RevokeCertificate = Command<
  'RevokeCertificate',
  { processId: string; folio: string; reason: string; revokedAt?: string }
>;

export type CertificationCommand =
  | EnrollCandidate
  | RecordTraining
  | RecordEvaluation
  | IssueCertificate
  | RevokeCertificate;
