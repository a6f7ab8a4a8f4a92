/**
 * Stream: `person-{subjectId}`: the only place personal data (CURP, names)
 * lives, so that it can later be encrypted per subject and erased by deleting
 * the subject's key. It is also the consistency boundary for "at most one open
 * or currently valid certification per person and standard": enrollments are
 * opened here first, with the stream's expected revision.
 */
export type PersonEvent = PersonRegistered | PersonalDataRectified | EnrollmentOpened;

export interface PersonRegistered {
  type: 'PersonRegistered';
  data: { subjectId: string; curp: string; fullName: string; registeredAt: string };
}

export interface PersonalDataRectified {
  type: 'PersonalDataRectified';
  data: { subjectId: string; fullName: string; rectifiedAt: string };
}

export interface EnrollmentOpened {
  type: 'EnrollmentOpened';
  data: { subjectId: string; processId: string; standardCode: string; openedAt: string };
}
