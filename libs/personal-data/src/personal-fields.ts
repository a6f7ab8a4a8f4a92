/**
 * Which fields of which events are personal data, and so stored sealed.
 * Only `person-*` streams hold personal data (the domain keeps it there);
 * everything else of those events (the subjectId, the instants, the
 * enrollments a person stream lists) stays in plaintext, as do all other
 * streams. Birth data is part of the CURP.
 */
export const PERSONAL_FIELDS: Readonly<Record<string, readonly string[]>> = {
  PersonRegistered: ['curp', 'fullName'],
  PersonalDataRectified: ['fullName', 'reason'],
};

/** The member of a stored event's data that holds its sealed personal fields. */
export const SEALED_MEMBER = 'personalData';

/**
 * Set in an event's data, as readers see it, when its personal data could
 * not be read: the subject was erased (its key destroyed), or the sealed
 * value does not open. The personal fields then read as null.
 */
export const ERASED_MARK = 'erased';

/** What every answer shows instead of an erased person's name. */
export const ERASED_NAME = '[erased]';

const PERSON_STREAM_PREFIX = 'person-';

/** The subject a person stream is about, or undefined for every other stream. */
export function subjectOfStream(streamId: string): string | undefined {
  return streamId.startsWith(PERSON_STREAM_PREFIX) && streamId.length > PERSON_STREAM_PREFIX.length ? streamId.slice(PERSON_STREAM_PREFIX.length) : undefined;
}

export function personalFieldsOf(streamId: string, type: string): readonly string[] | undefined {
  if (subjectOfStream(streamId) === undefined || !Object.hasOwn(PERSONAL_FIELDS, type)) return undefined;
  return PERSONAL_FIELDS[type];
}

/** True when the data, as readers see it, had its personal fields erased. */
export function isErasedData(data: unknown): boolean {
  return data !== null && typeof data === 'object' && (data as Record<string, unknown>)[SEALED_MEMBER] === ERASED_MARK;
}
