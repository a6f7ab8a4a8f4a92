import type { Command } from '../shared/command';

/** Authority only. Registering a code that already has a stream is a conflict, not an update. */
export type RegisterStandard = Command<
  'RegisterStandard',
  { code: string; version: string; title: string; validityYears: number }
>;

/** Authority only. Existing certificates keep their validity; new enrollments stop. */
export type RetireStandard = Command<'RetireStandard', { code: string; reason: string }>;

export type StandardCommand = RegisterStandard | RetireStandard;
