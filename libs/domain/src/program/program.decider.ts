import { assertNever, type Decider } from '../shared/decider';
import { DomainError, ensure } from '../shared/domain-error';
import { nowOf, requireId, requireRole, requireText, standardList } from '../shared/guards';
import { addYearsToDate, ensureIsoDate } from '../shared/iso-date';
import { parseJurisdiction } from '../shared/states';
import type { ChangeProgramTarget, ExtendProgramPeriod, LaunchProgram, ProgramCommand } from './program.commands';
import type { ProgramEvent, ProgramTarget } from './program.events';
import type { ProgramState } from './program.state';

/** No program aims at more public servants than this (Mexico's whole public sector is about 5.5 million). */
export const MAX_PROGRAM_TARGET = 10_000_000;
/** A program's period is at most this long. */
export const MAX_PROGRAM_YEARS = 20;
/** A program covers at most this many standards. */
export const MAX_PROGRAM_STANDARDS = 50;
/** Longest program name kept. */
export const MAX_PROGRAM_NAME_LENGTH = 200;

/** A program id names its stream and appears in URLs: letters, digits, `.`, `_` and `-`, at most 64. */
export const PROGRAM_ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

export const initialState: ProgramState = { status: 'none' };

export function decide(command: ProgramCommand, state: ProgramState): ProgramEvent[] {
  switch (command.type) {
    case 'LaunchProgram':
      return launch(command, state);
    case 'ChangeProgramTarget':
      return changeTarget(command, state);
    case 'ExtendProgramPeriod':
      return extendPeriod(command, state);
    default: {
      const _exhaustive: never = command;
      return assertNever(_exhaustive, 'program command');
    }
  }
}

function launch({ data, metadata }: LaunchProgram, state: ProgramState): ProgramEvent[] {
  requireRole(metadata.actor, ['authority'], 'launch programs');
  const programId = parseProgramId(data.programId);
  const name = requireText(data.name, 'name', MAX_PROGRAM_NAME_LENGTH);
  const jurisdiction = parseJurisdiction(data.jurisdiction);
  const standards = standardList(data.standards);
  ensure(standards.length <= MAX_PROGRAM_STANDARDS, 'INVALID_FIELD', `a program covers at most ${MAX_PROGRAM_STANDARDS} standards`, { field: 'standards' });
  const startsOn = ensureIsoDate(data.startsOn, 'startsOn');
  const endsOn = ensureIsoDate(data.endsOn, 'endsOn');
  ensurePeriod(startsOn, endsOn);
  const target = parseProgramTarget(data.target);
  for (const code of standards) {
    const standard = data.standardStates[code];
    if (standard === undefined || standard.status === 'unregistered') {
      throw new DomainError('STANDARD_NOT_FOUND', `standard ${code} is not registered`, { field: 'standards', code });
    }
    ensure(standard.status === 'active', 'STANDARD_NOT_ACTIVE', `standard ${code} is retired`, { field: 'standards', code });
  }
  ensure(state.status === 'none', 'PROGRAM_ALREADY_LAUNCHED', `program ${programId} was already launched`, { programId });
  return [{ type: 'ProgramLaunched', data: { programId, name, jurisdiction, standards, startsOn, endsOn, target, launchedAt: nowOf(metadata) } }];
}

function changeTarget({ data, metadata }: ChangeProgramTarget, state: ProgramState): ProgramEvent[] {
  requireRole(metadata.actor, ['authority'], 'change a program target');
  const programId = parseProgramId(data.programId);
  const target = parseProgramTarget(data.target);
  const reason = requireText(data.reason, 'reason');
  const program = launched(state, programId);
  ensure(!sameTarget(target, program.target), 'PROGRAM_TARGET_UNCHANGED', 'the program already has this target', { field: 'target' });
  return [{ type: 'ProgramTargetChanged', data: { programId, target, previousTarget: program.target, reason, changedAt: nowOf(metadata) } }];
}

function extendPeriod({ data, metadata }: ExtendProgramPeriod, state: ProgramState): ProgramEvent[] {
  requireRole(metadata.actor, ['authority'], 'extend a program');
  const programId = parseProgramId(data.programId);
  const endsOn = ensureIsoDate(data.endsOn, 'endsOn');
  const reason = requireText(data.reason, 'reason');
  const program = launched(state, programId);
  ensure(endsOn > program.endsOn, 'PROGRAM_PERIOD_NOT_EXTENDED', `endsOn must be after the program's current end, ${program.endsOn}`, {
    field: 'endsOn',
    endsOn: program.endsOn,
  });
  ensurePeriod(program.startsOn, endsOn);
  return [{ type: 'ProgramPeriodExtended', data: { programId, endsOn, previousEndsOn: program.endsOn, reason, extendedAt: nowOf(metadata) } }];
}

function launched(state: ProgramState, programId: string): Extract<ProgramState, { status: 'launched' }> {
  if (state.status !== 'launched') throw new DomainError('PROGRAM_NOT_FOUND', `program ${programId} was never launched`, { programId });
  return state;
}

/** A program id: letters, digits, `.`, `_` and `-`, at most 64 characters (it names the stream and the URL). */
export function parseProgramId(value: unknown): string {
  const id = requireId(value, 'programId');
  ensure(PROGRAM_ID_PATTERN.test(id), 'INVALID_FIELD', 'programId must be 1 to 64 letters, digits, ".", "_" or "-", starting with a letter or digit', {
    field: 'programId',
  });
  return id;
}

function ensurePeriod(startsOn: string, endsOn: string): void {
  ensure(startsOn <= endsOn, 'VALIDITY_PERIOD_INVALID', 'startsOn must not be after endsOn', { field: 'endsOn' });
  ensure(endsOn < addYearsToDate(startsOn, MAX_PROGRAM_YEARS), 'INVALID_FIELD', `a program runs at most ${MAX_PROGRAM_YEARS} years`, {
    field: 'endsOn',
  });
}

const isWholeCount = (value: unknown): value is number =>
  typeof value === 'number' && Number.isInteger(value) && value >= 1 && value <= MAX_PROGRAM_TARGET;

/** `{count}` or `{share, workforce}`, nothing else: a share is a fraction above 0 and at most 1 (0.5 for half). */
export function parseProgramTarget(value: unknown): ProgramTarget {
  const invalid = (message: string, field = 'target'): never => {
    throw new DomainError('PROGRAM_TARGET_INVALID', message, { field });
  };
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return invalid('target is {count} or {share, workforce}');
  const target = value as Record<string, unknown>;
  const keys = Object.keys(target).sort().join(',');
  if (keys === 'count') {
    if (!isWholeCount(target.count)) return invalid(`target.count must be a whole number from 1 to ${MAX_PROGRAM_TARGET}`, 'target.count');
    return { count: target.count };
  }
  if (keys === 'share,workforce') {
    const { share, workforce } = target;
    if (typeof share !== 'number' || !Number.isFinite(share) || share <= 0 || share > 1) {
      return invalid('target.share is a fraction above 0 and at most 1 (0.5 for half the workforce)', 'target.share');
    }
    if (!isWholeCount(workforce)) return invalid(`target.workforce must be a whole number from 1 to ${MAX_PROGRAM_TARGET}`, 'target.workforce');
    return { share, workforce };
  }
  return invalid('target is either {count} or {share, workforce}');
}

/** The number of certified public servants a target asks for: a share of the workforce rounds up. */
export function targetCount(target: ProgramTarget): number {
  if ('count' in target) return target.count;
  // Rounded to a millionth before rounding up, so 0.5 × 16,270 is 8,135 and not 8,136 by floating-point noise.
  return Math.ceil(Math.round(target.share * target.workforce * 1e6) / 1e6);
}

function sameTarget(a: ProgramTarget, b: ProgramTarget): boolean {
  if ('count' in a) return 'count' in b && a.count === b.count;
  return 'share' in b && a.share === b.share && a.workforce === b.workforce;
}

export function evolve(state: ProgramState, event: ProgramEvent): ProgramState {
  switch (event.type) {
    case 'ProgramLaunched':
      return { status: 'launched', ...event.data };
    case 'ProgramTargetChanged':
      return state.status === 'launched' ? { ...state, target: event.data.target } : state;
    case 'ProgramPeriodExtended':
      return state.status === 'launched' ? { ...state, endsOn: event.data.endsOn } : state;
    default: {
      const _exhaustive: never = event;
      return assertNever(_exhaustive, 'program event');
    }
  }
}

export const programDecider: Decider<ProgramCommand, ProgramEvent, ProgramState> = { decide, evolve, initialState };
