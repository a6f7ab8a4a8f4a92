import type { Command } from '../shared/command';
import type { EarlierProcess } from '../certification/certification.state';

/**
 * Registers the holder of personal data. Idempotent: the same subject already
 * registered yields no events (an evaluator's accreditation and every
 * enrollment send it). The handler derives subjectId = HMAC(secret, curp).
 */
export type RegisterPerson = Command<'RegisterPerson', { subjectId: string; curp: string; fullName: string }>;

/** ARCO rectification of the name; history keeps the old one. */
export type RectifyPersonalData = Command<'RectifyPersonalData', { subjectId: string; fullName: string; reason?: string }>;

/** ARCO cancellation, by the privacy office, under the folio of the holder's request. */
export type ErasePersonalData = Command<'ErasePersonalData', { subjectId: string; requestFolio: string; reason: string }>;

/**
 * The consistency boundary of "one open or valid certification per person and
 * standard". `earlierProcesses` holds the folded certification state of every
 * process this person's stream lists for the standard (the handler reads them);
 * a listed process missing from it counts as open.
 */
export type OpenEnrollment = Command<
  'OpenEnrollment',
  {
    subjectId: string;
    processId: string;
    standardCode: string;
    /** Defaults to metadata.now. */
    enrolledAt?: string;
    earlierProcesses: readonly EarlierProcess[];
  }
>;

export type PersonCommand = RegisterPerson | RectifyPersonalData | OpenEnrollment | ErasePersonalData;
