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
    /** Calendar date `YYYY-MM-DD`, inclusive. */
    validUntil: string;
  }
>;

/** A certifier of the credential's provider, or an authority. */
export type RevokeEvaluatorAccreditation = Command<
  'RevokeEvaluatorAccreditation',
  { evaluatorId: string; standardCode: string; reason: string }
>;

export type EvaluatorCommand = AccreditEvaluator | RevokeEvaluatorAccreditation;
