import type { Jurisdiction } from '../certification/certification.events';

/**
 * What a program aims at: a number of certified public servants, or a share
 * of a workforce of stated size (`share` is a fraction: 0.5 for half).
 */
export type ProgramTarget = { count: number } | { share: number; workforce: number };

/** Stream: `program-{programId}`. A program is public information: it holds no personal data. */
export type ProgramEvent = ProgramLaunched | ProgramTargetChanged | ProgramPeriodExtended;

export interface ProgramLaunched {
  type: 'ProgramLaunched';
  data: {
    programId: string;
    name: string;
    /** Certificates count towards the program when issued in this state (and municipality, when given). */
    jurisdiction: Jurisdiction;
    /** Canonical standard codes, in the order given. */
    standards: string[];
    /** The period, inclusive, as calendar dates. */
    startsOn: string;
    endsOn: string;
    target: ProgramTarget;
    launchedAt: string;
  };
}

/** An amendment of the target, with the reason it was changed; the earlier target stays in the history. */
export interface ProgramTargetChanged {
  type: 'ProgramTargetChanged';
  data: { programId: string; target: ProgramTarget; previousTarget: ProgramTarget; reason: string; changedAt: string };
}

/** The period ends later than it did; a program is never shortened. */
export interface ProgramPeriodExtended {
  type: 'ProgramPeriodExtended';
  data: { programId: string; endsOn: string; previousEndsOn: string; reason: string; extendedAt: string };
}
