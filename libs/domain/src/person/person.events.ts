/**
 * Stream: `person-{subjectId}`: the only place personal data (CURP, names)
 * lives, so that it can later be encrypted per subject and erased by deleting
 * the subject's key. It is also the consistency boundary for "at most one open
 * or currently valid certification per person and standard": enrollments are
 * opened here first, with the stream's expected revision.
 */
export type PersonEvent = PersonRegistered | PersonalDataRectified | EnrollmentOpened | PersonalDataErased;

export interface PersonRegistered {
  type: 'PersonRegistered';
  data: { subjectId: string; curp: string; fullName: string; registeredAt: string };
}

/** `reason` is the privacy office's (ARCO); rectifications recorded before it have none. */
export interface PersonalDataRectified {
  type: 'PersonalDataRectified';
  data: { subjectId: string; fullName: string; reason?: string; rectifiedAt: string };
}

/**
 * ARCO cancellation: the person's personal data is erased (its key destroyed,
 * outside the domain) while the person's certifications stay. Carries no
 * personal data: the request's folio and reason are the privacy office's.
 */
export interface PersonalDataErased {
  type: 'PersonalDataErased';
  data: { subjectId: string; requestFolio: string; reason: string; erasedAt: string };
}

export interface EnrollmentOpened {
  type: 'EnrollmentOpened';
  data: { subjectId: string; processId: string; standardCode: string; openedAt: string };
}
