/**
 * The thresholds the findings projection raises audit findings at, from the
 * environment. The defaults follow what an evaluation takes in practice
 * (README, "Audit findings"); a comptroller's office tunes them to its
 * programs. Changing one rebuilds the findings from the whole history (the
 * projection's settings change: a new generation, blue/green).
 */
export interface FindingThresholds {
  /** A certificate issued less than this many days after its enrollment is a finding. */
  readonly minDaysToCertificate: number;
  /** An evaluator recording more judgments than this in one business day (Mexico City time) is a finding. */
  readonly maxJudgmentsPerDay: number;
  /** An evaluator whose first this-many judgments are all "competent" is a finding. */
  readonly allCompetentAfter: number;
  /** One evidence digest filed for this many different candidates is a finding. */
  readonly sharedEvidenceCandidates: number;
  /** A provider issuing one by one (outside a batch) more than this in a business day may be a finding… */
  readonly singleIssuanceFloor: number;
  /** …when it is also more than this many times its usual such issuances per day. */
  readonly singleIssuanceFactor: number;
}

export const DEFAULT_FINDING_THRESHOLDS: FindingThresholds = Object.freeze({
  minDaysToCertificate: 3,
  maxJudgmentsPerDay: 12,
  allCompetentAfter: 100,
  sharedEvidenceCandidates: 2,
  singleIssuanceFloor: 25,
  singleIssuanceFactor: 5,
});

/** Each threshold's variable and the range it may take. */
export const FINDING_THRESHOLD_VARIABLES: Readonly<Record<keyof FindingThresholds, { env: string; min: number; max: number }>> = Object.freeze({
  minDaysToCertificate: { env: 'LEDGER_FINDING_MIN_DAYS_TO_CERTIFICATE', min: 1, max: 365 },
  maxJudgmentsPerDay: { env: 'LEDGER_FINDING_MAX_JUDGMENTS_PER_DAY', min: 1, max: 1_000 },
  allCompetentAfter: { env: 'LEDGER_FINDING_ALL_COMPETENT_AFTER', min: 10, max: 1_000 },
  sharedEvidenceCandidates: { env: 'LEDGER_FINDING_SHARED_EVIDENCE_CANDIDATES', min: 2, max: 100 },
  singleIssuanceFloor: { env: 'LEDGER_FINDING_SINGLE_ISSUANCE_FLOOR', min: 1, max: 100_000 },
  singleIssuanceFactor: { env: 'LEDGER_FINDING_SINGLE_ISSUANCE_FACTOR', min: 2, max: 1_000 },
});
