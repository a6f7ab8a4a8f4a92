import type { LedgerEvent as DomainEvent } from '@ledger/domain';
import type { RecordedEvent } from '@ledger/event-store';
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
 */
export function asLedgerEvent(event: RecordedEvent): RecordedLedgerEvent {
  return event as RecordedLedgerEvent;
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

export const ENVELOPE_COLUMNS = {
  occurred_at: 'timestamptz',
  recorded_at: 'timestamptz',
  actor_id: 'text',
  actor_role: 'text',
  actor_org: 'text',
  command_id: 'text',
  correlation_id: 'text',
  causation_id: 'text',
} as const;

export function unexpectedEvent(projection: string, event: never): never {
  throw new Error(`${projection} does not handle ${(event as RecordedEvent).type}`);
}
