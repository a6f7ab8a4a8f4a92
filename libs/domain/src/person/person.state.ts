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
    }
  | {
      /** The personal data is gone for good; the person's processes and certificates stay. */
      status: 'erased';
      subjectId: string;
      registeredAt: string;
      erasedAt: string;
      requestFolio: string;
      enrollments: readonly PersonEnrollment[];
    };

export type ErasedPerson = Extract<PersonState, { status: 'erased' }>;

export type RegisteredPerson = Extract<PersonState, { status: 'registered' }>;
