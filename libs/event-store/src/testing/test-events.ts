import { randomUUID } from 'node:crypto';
import { EventMetadata, NewEvent } from '../event-store.port';

/** A fully populated envelope, so round trips compare every field. */
export function testMetadata(overrides: Partial<EventMetadata> = {}): EventMetadata {
  const commandId = randomUUID();
  return {
    actor: { id: 'user-7f3a', role: 'registrar', organizationId: 'org-conocer' },
    commandId,
    correlationId: randomUUID(),
    causationId: commandId,
    occurredAt: '2024-03-01T10:15:00.000Z',
    recordedAt: '2024-03-01T10:15:00.250Z',
    schemaVersion: 1,
    ...overrides,
  };
}

export function testEvent<TData>(type: string, data: TData, overrides: Partial<NewEvent<string, TData>> = {}): NewEvent<string, TData> {
  return { id: randomUUID(), type, data, metadata: testMetadata(), ...overrides };
}

/** Names unique to one test, so suites can share a log (EventStoreDB cannot be reset between tests). */
export function uniqueName(prefix: string): string {
  return `${prefix}-${randomUUID().slice(0, 8)}`;
}
