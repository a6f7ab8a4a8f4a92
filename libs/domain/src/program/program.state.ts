import type { ProgramLaunched } from './program.events';

export type ProgramFacts = Omit<ProgramLaunched['data'], 'launchedAt'> & { launchedAt: string };

export type ProgramState = { status: 'none' } | ({ status: 'launched' } & ProgramFacts);
