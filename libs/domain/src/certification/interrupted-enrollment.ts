import type { IsoInstant } from '../shared/iso-date';

/**
 * An enrollment opened on the person stream whose certification stream is
 * still empty after this long was interrupted (its writer crashed between the
 * two appends and its client never retried). Younger ones are presumed in flight.
 */
export const INTERRUPTED_ENROLLMENT_AFTER_MS = 30_000;

/** A process the person stream lists for the standard being enrolled, as the command side found it. */
export interface ListedProcess {
  readonly processId: string;
  /** Whether its certification stream holds anything (CandidateEnrolled was written). */
  readonly started: boolean;
  /** When the person stream recorded its EnrollmentOpened; undefined when it holds none for it. */
  readonly openedAt?: IsoInstant;
}

/**
 * The process an enrollment writes its CandidateEnrolled to. EnrollCandidate
 * spans two streams (the person's, then the certification's), so a writer
 * can crash between the two appends:
 *
 * - a retry of the same command finds its own process listed, and completes it;
 * - a new command finds a listed process with an empty certification stream
 *   opened more than INTERRUPTED_ENROLLMENT_AFTER_MS before `now` and takes it
 *   over, so that the person is not blocked forever by an enrollment nobody
 *   will finish (the certification stream's `no_stream` is the fence: if the
 *   first writer was only slow, one of the two appends wins);
 * - otherwise, its own.
 *
 * An interrupted process still counts as open for the domain's rules: it is
 * completed rather than skipped.
 */
export function processForEnrollment(ownProcessId: string, listed: readonly ListedProcess[], now: IsoInstant): string {
  if (listed.some((process) => process.processId === ownProcessId)) return ownProcessId;
  const cutoff = Date.parse(now) - INTERRUPTED_ENROLLMENT_AFTER_MS;
  const interrupted = listed.find((process) => !process.started && process.openedAt !== undefined && Date.parse(process.openedAt) < cutoff);
  return interrupted?.processId ?? ownProcessId;
}
