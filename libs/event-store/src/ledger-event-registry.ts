import type { LedgerEvent, LedgerEventType } from '@ledger/domain';
import type { RecordedEvent } from './event-store.port';

export type { LedgerEvent, LedgerEventType } from '@ledger/domain';
type DataOf<T extends LedgerEventType> = Extract<LedgerEvent, { type: T }>['data'];

/** Turns the data of one schema version into the next version's shape. Pure; never touches what is stored. */
export type Upcaster = (data: Readonly<Record<string, unknown>>) => Record<string, unknown>;

/**
 * How one event type is written and read back. `schemaVersion` is the shape
 * written today; an older version is read through its upcasters (version v
 * to v+1, in turn), and a version this build does not know is refused rather
 * than guessed.
 */
export interface EventCodec<T extends LedgerEventType> {
  schemaVersion: number;
  /** Fields every stored event of this type has; checked when reading, so a corrupt row fails loudly. */
  requiredFields: readonly (keyof DataOf<T> & string)[];
  /** The business time the event records, copied into metadata.occurredAt. */
  occurredAt(data: DataOf<T>): string;
  /** By the version each reads: `{ 1: v1 → v2 }`. Every version below `schemaVersion` has one. */
  upcasters?: Readonly<Record<number, Upcaster>>;
}

/**
 * The one registry of event types: adding an event to the domain without a
 * row here does not compile (the mapped type demands every type). Types are
 * never recognised by class name or `instanceof`.
 */
export const EVENT_REGISTRY: { readonly [T in LedgerEventType]: EventCodec<T> } = {
  StandardRegistered: { schemaVersion: 1, requiredFields: ['code', 'version', 'title', 'validityYears', 'registeredAt'], occurredAt: (d) => d.registeredAt },
  StandardRetired: { schemaVersion: 1, requiredFields: ['code', 'reason', 'retiredAt'], occurredAt: (d) => d.retiredAt },
  ProviderAccredited: {
    schemaVersion: 1,
    requiredFields: ['providerId', 'kind', 'name', 'accreditationCode', 'standards', 'validFrom', 'validUntil', 'accreditedAt'],
    occurredAt: (d) => d.accreditedAt,
  },
  EvaluatorAccredited: {
    schemaVersion: 2,
    requiredFields: ['evaluatorId', 'subjectId', 'providerId', 'standards', 'credentialFolio', 'validFrom', 'validUntil', 'accreditedAt'],
    occurredAt: (d) => d.accreditedAt,
    upcasters: {
      // Version 1 had no start date: such a credential is read as in force from the day it was recorded.
      1: (data) => ({ ...data, validFrom: typeof data.accreditedAt === 'string' ? data.accreditedAt.slice(0, 10) : data.accreditedAt }),
    },
  },
  EvaluatorAccreditationRevoked: {
    schemaVersion: 2,
    requiredFields: ['evaluatorId', 'standardCode', 'reason', 'revokedAt'],
    occurredAt: (d) => d.revokedAt,
    upcasters: {
      // Version 1 named no provider: an evaluator then held one credential per standard, and the
      // revocation is of the standard's latest credential. Readers take an absent providerId so.
      1: (data) => ({ ...data }),
    },
  },
  PersonRegistered: { schemaVersion: 1, requiredFields: ['subjectId', 'curp', 'fullName', 'registeredAt'], occurredAt: (d) => d.registeredAt },
  PersonalDataRectified: { schemaVersion: 1, requiredFields: ['subjectId', 'fullName', 'rectifiedAt'], occurredAt: (d) => d.rectifiedAt },
  // Its personal data (curp, fullName; a rectification's reason) is stored sealed: libs/personal-data opens it before parsing.
  PersonalDataErased: { schemaVersion: 1, requiredFields: ['subjectId', 'requestFolio', 'reason', 'erasedAt'], occurredAt: (d) => d.erasedAt },
  EnrollmentOpened: { schemaVersion: 1, requiredFields: ['subjectId', 'processId', 'standardCode', 'openedAt'], occurredAt: (d) => d.openedAt },
  CandidateEnrolled: {
    schemaVersion: 1,
    requiredFields: ['processId', 'subjectId', 'standardCode', 'standardVersion', 'validityYears', 'providerId', 'centreId', 'agency', 'jurisdiction', 'employment', 'enrolledAt'],
    occurredAt: (d) => d.enrolledAt,
  },
  TrainingRecorded: { schemaVersion: 1, requiredFields: ['processId', 'trainerId', 'hours', 'completedAt'], occurredAt: (d) => d.completedAt },
  EvaluationRecorded: {
    schemaVersion: 1,
    // evidenceDigest may be absent from a judgment an import brought (with importRun): see the domain event.
    requiredFields: ['processId', 'evaluatorId', 'result', 'evaluatedAt', 'credentialFolio'],
    occurredAt: (d) => d.evaluatedAt,
  },
  CertificateIssued: {
    schemaVersion: 1,
    requiredFields: ['processId', 'folio', 'subjectId', 'standardCode', 'providerId', 'evaluatorId', 'issuedAt', 'validUntil'],
    occurredAt: (d) => d.issuedAt,
  },
  CertificateRevoked: { schemaVersion: 1, requiredFields: ['processId', 'folio', 'reason', 'revokedAt'], occurredAt: (d) => d.revokedAt },
  FolioAssigned: { schemaVersion: 1, requiredFields: ['folio', 'processId', 'assignedAt'], occurredAt: (d) => d.assignedAt },
  ProgramLaunched: {
    schemaVersion: 1,
    requiredFields: ['programId', 'name', 'jurisdiction', 'standards', 'startsOn', 'endsOn', 'target', 'launchedAt'],
    occurredAt: (d) => d.launchedAt,
  },
  ProgramTargetChanged: { schemaVersion: 1, requiredFields: ['programId', 'target', 'previousTarget', 'reason', 'changedAt'], occurredAt: (d) => d.changedAt },
  ProgramPeriodExtended: { schemaVersion: 1, requiredFields: ['programId', 'endsOn', 'previousEndsOn', 'reason', 'extendedAt'], occurredAt: (d) => d.extendedAt },
};

export class UnreadableEventError extends Error {
  constructor(readonly eventId: string, reason: string) {
    super(`Stored event ${eventId} cannot be read: ${reason}`);
    this.name = 'UnreadableEventError';
  }
}

function codecOf(type: string): EventCodec<LedgerEventType> | undefined {
  return Object.hasOwn(EVENT_REGISTRY, type) ? (EVENT_REGISTRY[type as LedgerEventType] as EventCodec<LedgerEventType>) : undefined;
}

/** The domain event a stored event holds, upcast to today's schema and checked against the registry. */
export function parseLedgerEvent(recorded: RecordedEvent): LedgerEvent {
  const codec = codecOf(recorded.type);
  if (!codec) throw new UnreadableEventError(recorded.id, `unknown type ${recorded.type}`);
  const data = upcastData(codec, recorded);
  const missing = codec.requiredFields.filter((field) => !(field in data));
  if (missing.length > 0) throw new UnreadableEventError(recorded.id, `${recorded.type} lacks ${missing.join(', ')}`);
  return { type: recorded.type, data } as LedgerEvent;
}

/**
 * The stored event with its data in today's schema, for readers that fold
 * the log (projections): the same upcasters as the write side, and the
 * envelope kept as stored. An event of a type or version this build cannot
 * read is returned unchanged, for the reader to cope with or set aside.
 */
export function upcastRecordedEvent(recorded: RecordedEvent): RecordedEvent {
  const codec = codecOf(recorded.type);
  if (!codec || recorded.metadata?.schemaVersion === codec.schemaVersion) return recorded;
  try {
    return { ...recorded, data: upcastData(codec, recorded) };
  } catch {
    return recorded;
  }
}

function upcastData(codec: EventCodec<LedgerEventType>, recorded: RecordedEvent): Record<string, unknown> {
  const data = recorded.data;
  if (data === null || typeof data !== 'object' || Array.isArray(data)) throw new UnreadableEventError(recorded.id, 'data is not an object');
  const stored = recorded.metadata?.schemaVersion;
  const known = typeof stored === 'number' && Number.isInteger(stored) && stored >= 1 && stored <= codec.schemaVersion;
  if (!known) throw new UnreadableEventError(recorded.id, `schema version ${String(stored)} of ${recorded.type} is not supported`);
  let current = data as Record<string, unknown>;
  for (let version = stored; version < codec.schemaVersion; version += 1) {
    const upcast = codec.upcasters?.[version];
    if (!upcast) throw new UnreadableEventError(recorded.id, `schema version ${version} of ${recorded.type} has no upcaster`);
    current = upcast(current);
  }
  return current;
}

export function schemaVersionOf(type: LedgerEventType): number {
  return EVENT_REGISTRY[type].schemaVersion;
}

export function occurredAtOf(event: LedgerEvent): string {
  return (EVENT_REGISTRY[event.type] as EventCodec<LedgerEventType>).occurredAt(event.data as never);
}
