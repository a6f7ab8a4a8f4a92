/** Stream: `standard-{code}`. */
export type StandardEvent = StandardRegistered | StandardRetired;

export interface StandardRegistered {
  type: 'StandardRegistered';
  data: {
    /** e.g. `EC0105` */
    code: string;
    /** e.g. `01` (the standard as published is `EC0105.01`) */
    version: string;
    title: string;
    /** Certificates of this standard are valid for this many years. */
    validityYears: number;
    registeredAt: string;
  };
}

export interface StandardRetired {
  type: 'StandardRetired';
  data: { code: string; reason: string; retiredAt: string };
}
