/** The facts of a registered standard, copied into each enrollment (version, validity). */
export interface StandardFacts {
  code: string;
  version: string;
  title: string;
  validityYears: number;
  registeredAt: string;
}

export type StandardState =
  | { status: 'unregistered' }
  | ({ status: 'active' } & StandardFacts)
  | ({ status: 'retired'; retiredAt: string; retirementReason: string } & StandardFacts);

export type ActiveStandard = Extract<StandardState, { status: 'active' }>;
