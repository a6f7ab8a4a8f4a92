import type { Command } from '../shared/command';

/**
 * A certifier of the provider that issues the credential ("cédula"). The
 * evaluator's CURP and name go to the person stream through RegisterPerson;
 * here only the opaque subjectId.
 */
export type AccreditEvaluator = Command<
  'AccreditEvaluator',
  {
    evaluatorId: string;
    subjectId: string;
    providerId: string;
    standards: string[];
    credentialFolio: string;
    /** Calendar date `YYYY-MM-DD`, inclusive; defaults to the day it is recorded. */
    validFrom?: string;
    /** Calendar date `YYYY-MM-DD`, inclusive. */
    validUntil: string;
  }
>;

/**
 * A certifier of the credential's provider, or an authority. `providerId`
 * names whose credential: a certifier's own organization by default; an
 * authority must name it when several providers hold credentials for the standard.
 */
export type RevokeEvaluatorAccreditation = Command<
  'RevokeEvaluatorAccreditation',
  { evaluatorId: string; standardCode: string; providerId?: string; reason: string }
>;

export type EvaluatorCommand = AccreditEvaluator | RevokeEvaluatorAccreditation;
