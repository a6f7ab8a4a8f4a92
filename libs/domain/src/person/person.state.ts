/** One process opened for this person, as recorded on the person stream. */
export interface PersonEnrollment {
  processId: string;
  standardCode: string;
  openedAt: string;
}

export type PersonState =
  | { status: 'unregistered' }
  | {
      status: 'registered';
      subjectId: string;
      curp: string;
      fullName: string;
      registeredAt: string;
      enrollments: readonly PersonEnrollment[];
    };

export type RegisteredPerson = Extract<PersonState, { status: 'registered' }>;
