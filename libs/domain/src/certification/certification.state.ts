import type { IsoInstant } from '../shared/iso-date';
import type { CandidateEnrolled, EvaluationRecorded, TrainingRecorded } from './certification.events';

export type ProcessFacts = CandidateEnrolled['data'];
export type TrainingRecord = Omit<TrainingRecorded['data'], 'processId'>;
export type EvaluationRecord = Omit<EvaluationRecorded['data'], 'processId'>;
export type CompetentEvaluation = EvaluationRecord & { result: 'competent' };

export interface CertificateFacts {
  folio: string;
  issuedAt: string;
  validUntil: string;
}

/** What every enrolled process accumulates, whatever its status. */
interface ProcessHistory {
  process: ProcessFacts;
  trainings: readonly TrainingRecord[];
  /** Every judgment in order; not_yet_competent ones stay on the record. */
  evaluations: readonly EvaluationRecord[];
}

/**
 * A process by status, so impossible steps cannot be written: only `evaluated`
 * (judged competent) can be certified, only `certified` can be revoked.
 * A not_yet_competent judgment leaves the process `enrolled`, ready for another evaluation.
 */
export type CertificationState =
  | { status: 'initial' }
  | ({ status: 'enrolled' } & ProcessHistory)
  | ({ status: 'evaluated'; competentEvaluation: CompetentEvaluation } & ProcessHistory)
  | ({ status: 'certified'; competentEvaluation: CompetentEvaluation; certificate: CertificateFacts } & ProcessHistory)
  | ({
      status: 'revoked';
      competentEvaluation: CompetentEvaluation;
      certificate: CertificateFacts;
      revocation: { reason: string; revokedAt: string };
    } & ProcessHistory);

export type CertificationStatus = CertificationState['status'];
export type EnrolledProcess = Exclude<CertificationState, { status: 'initial' }>;

/** A process of the same person and standard, as the handler read it, for the one-at-a-time rule. */
export interface EarlierProcess {
  processId: string;
  state: CertificationState;
}

/**
 * How a process stands against a new enrollment on `on`:
 * - `open`: not finished. An `initial` state counts as open too: its enrollment
 *   was opened on the person stream but the certification stream is being written
 *   right now, or the write was interrupted (retrying with the same processId completes it).
 * - `valid`: certified, not revoked, and `on` is not past validUntil.
 * - `closed`: revoked or expired; the person may enroll again.
 */
export function standingOn(state: CertificationState, on: IsoInstant): 'open' | 'valid' | 'closed' {
  switch (state.status) {
    case 'initial':
    case 'enrolled':
    case 'evaluated':
      return 'open';
    case 'certified':
      return on <= state.certificate.validUntil ? 'valid' : 'closed';
    case 'revoked':
      return 'closed';
    default: {
      const _exhaustive: never = state;
      throw new Error(`unexpected certification state ${JSON.stringify(_exhaustive)}`);
    }
  }
}

/** The process that blocks a new enrollment for this standard on `on`, if any. */
export function blockingProcess(
  earlier: readonly EarlierProcess[],
  standardCode: string,
  on: IsoInstant,
): (EarlierProcess & { standing: 'open' | 'valid' }) | undefined {
  for (const candidate of earlier) {
    const { state } = candidate;
    if (state.status !== 'initial' && state.process.standardCode !== standardCode) continue;
    const standing = standingOn(state, on);
    if (standing !== 'closed') return { ...candidate, standing };
  }
  return undefined;
}
