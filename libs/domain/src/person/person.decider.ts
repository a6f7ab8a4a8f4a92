import type { EarlierProcess } from '../certification/certification.state';
import { ensureNotAlreadyEnrolled } from '../certification/enrollment.rules';
import type { Role } from '../shared/actor';
import { Curp } from '../shared/curp';
import { assertNever, type Decider } from '../shared/decider';
import { DomainError, ensure } from '../shared/domain-error';
import { businessInstant, nowOf, requireId, requireRole, requireText } from '../shared/guards';
import { parseStandardCode } from '../shared/standard-code';
import type { ErasePersonalData, OpenEnrollment, PersonCommand, RectifyPersonalData, RegisterPerson } from './person.commands';
import type { PersonEvent } from './person.events';
import type { ErasedPerson, PersonState, RegisteredPerson } from './person.state';

/** The longest full name a person's stream holds. */
export const MAX_NAME_LENGTH = 200;
/** A privacy office's reason for a rectification or an erasure. */
export const MAX_ARCO_REASON_LENGTH = 500;
/** The folio of a holder's ARCO request, as the privacy office numbers it. */
export const MAX_REQUEST_FOLIO_LENGTH = 64;
/** Whoever legitimately collects a person's data: a registrar enrolling, a certifier accrediting, the authority. */
const DATA_ROLES: readonly Role[] = ['registrar', 'certifier', 'authority'];
/** Who may correct it: those, and the privacy office answering an ARCO request. */
const RECTIFYING_ROLES: readonly Role[] = [...DATA_ROLES, 'privacy'];

export const initialState: PersonState = { status: 'unregistered' };

export function decide(command: PersonCommand, state: PersonState): PersonEvent[] {
  switch (command.type) {
    case 'RegisterPerson':
      return register(command, state);
    case 'RectifyPersonalData':
      return rectify(command, state);
    case 'OpenEnrollment':
      return openEnrollment(command, state);
    case 'ErasePersonalData':
      return erase(command, state);
    default: {
      const _exhaustive: never = command;
      return assertNever(_exhaustive, 'person command');
    }
  }
}

function register({ data, metadata }: RegisterPerson, state: PersonState): PersonEvent[] {
  requireRole(metadata.actor, DATA_ROLES, 'register people');
  const subjectId = requireId(data.subjectId, 'subjectId');
  const curp = Curp.parse(data.curp).value;
  const fullName = requireText(data.fullName, 'fullName', MAX_NAME_LENGTH);
  // The handler registers a CURP whose subject was erased under the next subject id; reaching here is a bug upstream.
  if (state.status === 'erased') throw erasedError(state);
  if (state.status === 'registered') {
    // subjectId is a keyed hash of the CURP, so a different CURP here means a bug upstream.
    ensure(state.curp === curp, 'PERSON_CURP_MISMATCH', 'the subject is registered with another CURP', { subjectId });
    return [];
  }
  return [{ type: 'PersonRegistered', data: { subjectId, curp, fullName, registeredAt: nowOf(metadata) } }];
}

function rectify({ data, metadata }: RectifyPersonalData, state: PersonState): PersonEvent[] {
  requireRole(metadata.actor, RECTIFYING_ROLES, 'rectify personal data');
  const subjectId = requireId(data.subjectId, 'subjectId');
  const fullName = requireText(data.fullName, 'fullName', MAX_NAME_LENGTH);
  const reason = data.reason === undefined ? undefined : requireText(data.reason, 'reason', MAX_ARCO_REASON_LENGTH);
  const person = registered(state, subjectId);
  if (person.fullName === fullName) return [];
  const rectifiedAt = nowOf(metadata);
  return [{ type: 'PersonalDataRectified', data: reason === undefined ? { subjectId, fullName, rectifiedAt } : { subjectId, fullName, reason, rectifiedAt } }];
}

/** Only the privacy office cancels personal data, and only once: a second request finds it gone. */
function erase({ data, metadata }: ErasePersonalData, state: PersonState): PersonEvent[] {
  requireRole(metadata.actor, ['privacy'], 'erase personal data');
  const subjectId = requireId(data.subjectId, 'subjectId');
  const requestFolio = requireText(data.requestFolio, 'requestFolio', MAX_REQUEST_FOLIO_LENGTH);
  const reason = requireText(data.reason, 'reason', MAX_ARCO_REASON_LENGTH);
  if (state.status === 'unregistered') throw new DomainError('PERSON_NOT_FOUND', 'no such person', { subjectId });
  if (state.status === 'erased') {
    throw new DomainError('PERSON_ALREADY_ERASED', 'the personal data of this person was already erased', {
      subjectId,
      erasedAt: state.erasedAt,
      requestFolio: state.requestFolio,
    });
  }
  return [{ type: 'PersonalDataErased', data: { subjectId, requestFolio, reason, erasedAt: nowOf(metadata) } }];
}

function erasedError(person: ErasedPerson): DomainError {
  return new DomainError('PERSON_ERASED', 'the personal data of this person was erased; nothing more is recorded about it', { subjectId: person.subjectId });
}

function openEnrollment({ data, metadata }: OpenEnrollment, state: PersonState): PersonEvent[] {
  requireRole(metadata.actor, ['registrar'], 'enroll candidates');
  const subjectId = requireId(data.subjectId, 'subjectId');
  const processId = requireId(data.processId, 'processId');
  const standardCode = parseStandardCode(data.standardCode);
  const enrolledAt = businessInstant(data.enrolledAt, metadata, 'enrolledAt');
  const person = registered(state, subjectId);
  const same = person.enrollments.find((enrollment) => enrollment.processId === processId);
  if (same !== undefined) {
    ensure(same.standardCode === standardCode, 'PROCESS_ALREADY_EXISTS', 'this process id is taken by another enrollment', { processId });
    return []; // a retry of an enrollment whose certification stream may still need writing
  }
  ensureNotAlreadyEnrolled(processesToCheck(person, standardCode, data.earlierProcesses), processId, standardCode, enrolledAt);
  return [{ type: 'EnrollmentOpened', data: { subjectId, processId, standardCode, openedAt: enrolledAt } }];
}

/** Every process the person stream lists for the standard, with its state if the handler passed it. */
function processesToCheck(person: RegisteredPerson, standardCode: string, passed: readonly EarlierProcess[] = []): EarlierProcess[] {
  const byId = new Map(passed.map((earlier) => [earlier.processId, earlier]));
  const listed: EarlierProcess[] = person.enrollments
    .filter((enrollment) => enrollment.standardCode === standardCode)
    .map(({ processId }) => byId.get(processId) ?? { processId, state: { status: 'initial' } });
  // A passed process the person stream does not list can only matter if it exists.
  const unlisted = passed.filter(
    (earlier) => earlier.state.status !== 'initial' && !listed.some((known) => known.processId === earlier.processId),
  );
  return [...listed, ...unlisted];
}

function registered(state: PersonState, subjectId: string): RegisteredPerson {
  if (state.status === 'unregistered') throw new DomainError('PERSON_NOT_FOUND', 'no such person', { subjectId });
  if (state.status === 'erased') throw erasedError(state);
  return state;
}

export function evolve(state: PersonState, event: PersonEvent): PersonState {
  switch (event.type) {
    case 'PersonRegistered': {
      const { subjectId, curp, fullName, registeredAt } = event.data;
      return { status: 'registered', subjectId, curp, fullName, registeredAt, enrollments: [] };
    }
    case 'PersonalDataRectified':
      return state.status === 'registered' ? { ...state, fullName: event.data.fullName } : state;
    case 'EnrollmentOpened': {
      if (state.status === 'unregistered') return state;
      const { processId, standardCode, openedAt } = event.data;
      return { ...state, enrollments: [...state.enrollments, { processId, standardCode, openedAt }] };
    }
    case 'PersonalDataErased': {
      if (state.status === 'unregistered') return state;
      const { subjectId, registeredAt, enrollments } = state;
      return { status: 'erased', subjectId, registeredAt, enrollments, erasedAt: event.data.erasedAt, requestFolio: event.data.requestFolio };
    }
    default: {
      const _exhaustive: never = event;
      return assertNever(_exhaustive, 'person event');
    }
  }
}

export const personDecider: Decider<PersonCommand, PersonEvent, PersonState> = { decide, evolve, initialState };
