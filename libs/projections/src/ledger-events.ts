import type { LedgerEvent as DomainEvent, LedgerEventType } from '@ledger/domain';
import { EVENT_REGISTRY, type RecordedEvent } from '@ledger/event-store';
import type { Row } from './projection';

/** A stored event of the ledger, narrowed by `type` like the domain's unions. */
export type RecordedLedgerEvent = DomainEvent extends infer E
  ? E extends { type: infer T extends string; data: infer D }
    ? RecordedEvent<T, D>
    : never
  : never;

/**
 * The log is typed by the domain's unions; the runner only hands a projection
 * the types it listed, and the fold's `switch` ends in an exhaustiveness check.
 * The types are what the write side records, not a promise about every event
 * in the log: data that is not an object (possible in an event written straight
 * into the store) is read as an empty object, and folds read nested fields
 * with care, so that such an event yields rows with missing values rather
 * than an exception. Only the projections that fold every type (the audit
 * trail) use it directly; the others go through asFoldedEvent, which also
 * checks the type is one they declare.
 */
export function asLedgerEvent(event: RecordedEvent): RecordedLedgerEvent {
  const data = event.data;
  // A type the registry does not know keeps its envelope and shows no data: no fold reads what nobody has checked.
  const known = Object.hasOwn(EVENT_REGISTRY, event.type);
  if (known && data !== null && typeof data === 'object' && !Array.isArray(data)) return event as RecordedLedgerEvent;
  return { ...event, data: {} } as RecordedLedgerEvent;
}

/** The recorded events of the types `Types` (a projection's eventTypes), narrowed by `type`. */
export type FoldedEvent<Types extends readonly LedgerEventType[]> = Extract<RecordedLedgerEvent, { type: Types[number] }>;

/**
 * A projection's event as its fold reads it: one of the types it declares
 * (`types`, the same list as its eventTypes), narrowed to that union. A fold
 * whose switch misses a declared type fails to compile (its default case
 * hands unexpectedEvent something other than never), and so does a case for
 * a type not declared. The runner hands a projection only its declared types;
 * anything else is a wiring mistake and throws. The data's shape is the write
 * side's (see asLedgerEvent).
 */
export function asFoldedEvent<const Types extends readonly LedgerEventType[]>(event: RecordedEvent, types: Types): FoldedEvent<Types> {
  if (!(types as readonly string[]).includes(event.type)) throw new Error(`${event.type} is not among the event types this projection folds (${types.join(', ')})`);
  return asLedgerEvent(event) as FoldedEvent<Types>;
}

/** A list field as folds may iterate it: the array, or nothing when the event holds something else there. */
export function listOf<T>(value: readonly T[] | undefined): readonly T[] {
  return Array.isArray(value) ? value : [];
}

export function positionOf(event: RecordedEvent): string {
  return event.position.toString();
}

/** Who and when, from the envelope: the columns every audit-like row carries. */
export function envelopeColumns(event: RecordedEvent): Row {
  const { metadata } = event;
  return {
    occurred_at: metadata?.occurredAt ?? null,
    recorded_at: metadata?.recordedAt ?? null,
    actor_id: metadata?.actor?.id ?? null,
    actor_role: metadata?.actor?.role ?? null,
    actor_org: metadata?.actor?.organizationId ?? null,
    command_id: metadata?.commandId ?? null,
    correlation_id: metadata?.correlationId ?? null,
    causation_id: metadata?.causationId ?? null,
  };
}

export function unexpectedEvent(projection: string, event: never): never {
  throw new Error(`${projection} does not handle ${(event as RecordedEvent).type}`);
}
