import type { LedgerEvent, LedgerEventType } from '@ledger/domain';
import type { RecordedEvent } from './event-store.port';

export type { LedgerEvent, LedgerEventType } from '@ledger/domain';
type DataOf<T extends LedgerEventType> = Extract<LedgerEvent, { type: T }>['data'];

/**
 * How one event type is written and read back. `schemaVersion` is the shape
 * written today; reading an older version will go through an upcaster added
 * here, and a version this build does not know is refused rather than guessed.
 */
export interface EventCodec<T extends LedgerEventType> {
  schemaVersion: number;
  /** Fields every stored event of this type has; checked when reading, so a corrupt row fails loudly. */
  requiredFields: readonly (keyof DataOf<T> & string)[];
  /** The business time the event records, copied into metadata.occurredAt. */
  occurredAt(data: DataOf<T>): string;
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
    schemaVersion: 1,
    requiredFields: ['evaluatorId', 'subjectId', 'providerId', 'standards', 'credentialFolio', 'validUntil', 'accreditedAt'],
    occurredAt: (d) => d.accreditedAt,
  },
  EvaluatorAccreditationRevoked: { schemaVersion: 1, requiredFields: ['evaluatorId', 'standardCode', 'reason', 'revokedAt'], occurredAt: (d) => d.revokedAt },
  PersonRegistered: { schemaVersion: 1, requiredFields: ['subjectId', 'curp', 'fullName', 'registeredAt'], occurredAt: (d) => d.registeredAt },
  PersonalDataRectified: { schemaVersion: 1, requiredFields: ['subjectId', 'fullName', 'rectifiedAt'], occurredAt: (d) => d.rectifiedAt },
  EnrollmentOpened: { schemaVersion: 1, requiredFields: ['subjectId', 'processId', 'standardCode', 'openedAt'], occurredAt: (d) => d.openedAt },
  CandidateEnrolled: {
    schemaVersion: 1,
    requiredFields: ['processId', 'subjectId', 'standardCode', 'standardVersion', 'validityYears', 'providerId', 'centreId', 'agency', 'jurisdiction', 'employment', 'enrolledAt'],
    occurredAt: (d) => d.enrolledAt,
  },
  TrainingRecorded: { schemaVersion: 1, requiredFields: ['processId', 'trainerId', 'hours', 'completedAt'], occurredAt: (d) => d.completedAt },
  EvaluationRecorded: {
    schemaVersion: 1,
    requiredFields: ['processId', 'evaluatorId', 'result', 'evidenceDigest', 'evaluatedAt', 'credentialFolio'],
    occurredAt: (d) => d.evaluatedAt,
  },
  CertificateIssued: {
    schemaVersion: 1,
    requiredFields: ['processId', 'folio', 'subjectId', 'standardCode', 'providerId', 'evaluatorId', 'issuedAt', 'validUntil'],
    occurredAt: (d) => d.issuedAt,
  },
  CertificateRevoked: { schemaVersion: 1, requiredFields: ['processId', 'folio', 'reason', 'revokedAt'], occurredAt: (d) => d.revokedAt },
  FolioAssigned: { schemaVersion: 1, requiredFields: ['folio', 'processId', 'assignedAt'], occurredAt: (d) => d.assignedAt },
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

/** The domain event a stored event holds, checked against the registry. */
export function parseLedgerEvent(recorded: RecordedEvent): LedgerEvent {
  const codec = codecOf(recorded.type);
  if (!codec) throw new UnreadableEventError(recorded.id, `unknown type ${recorded.type}`);
  if (recorded.metadata?.schemaVersion !== codec.schemaVersion) {
    throw new UnreadableEventError(recorded.id, `schema version ${String(recorded.metadata?.schemaVersion)} of ${recorded.type} is not supported`);
  }
  const data = recorded.data;
  if (data === null || typeof data !== 'object' || Array.isArray(data)) throw new UnreadableEventError(recorded.id, 'data is not an object');
  const missing = codec.requiredFields.filter((field) => !(field in data));
  if (missing.length > 0) throw new UnreadableEventError(recorded.id, `${recorded.type} lacks ${missing.join(', ')}`);
  return { type: recorded.type, data } as LedgerEvent;
}

export function schemaVersionOf(type: LedgerEventType): number {
  return EVENT_REGISTRY[type].schemaVersion;
}

export function occurredAtOf(event: LedgerEvent): string {
  return (EVENT_REGISTRY[event.type] as EventCodec<LedgerEventType>).occurredAt(event.data as never);
}
