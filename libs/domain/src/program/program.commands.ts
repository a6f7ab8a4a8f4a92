import type { Command } from '../shared/command';
import type { StandardState } from '../standard/standard.state';
import type { ProgramTarget } from './program.events';

/** Authority only. A program id that already has a stream is a conflict, not an update. */
export type LaunchProgram = Command<
  'LaunchProgram',
  {
    programId: string;
    name: string;
    jurisdiction: { state: string; municipality?: string | null };
    standards: string[];
    startsOn: string;
    endsOn: string;
    /** `{count}` or `{share, workforce}` as the caller sent it; the decider parses it (PROGRAM_TARGET_INVALID). */
    target: ProgramTarget | Readonly<Record<string, unknown>>;
    /** The folded state of each standard named, by canonical code (the handler reads their streams). */
    standardStates: Readonly<Record<string, StandardState>>;
  }
>;

/** Authority only: a new target, with the reason (a budget cut, a census of the workforce). */
export type ChangeProgramTarget = Command<'ChangeProgramTarget', { programId: string; target: ProgramTarget | Readonly<Record<string, unknown>>; reason: string }>;

/** Authority only: the program runs longer, with the reason. */
export type ExtendProgramPeriod = Command<'ExtendProgramPeriod', { programId: string; endsOn: string; reason: string }>;

export type ProgramCommand = LaunchProgram | ChangeProgramTarget | ExtendProgramPeriod;
