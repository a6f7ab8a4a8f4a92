import type { RecordedEvent } from './event-store.port';
import { EVENT_REGISTRY, occurredAtOf, parseLedgerEvent, UnreadableEventError } from './ledger-event-registry';

function recorded(type: string, data: unknown, schemaVersion = 1): RecordedEvent {
  return {
    id: '00000000-0000-4000-8000-000000000001',
    type,
    data,
    streamId: 's',
    revision: 0n,
    position: 0n,
    metadata: { actor: { id: 'a', role: 'authority', organizationId: 'o' }, commandId: 'c', correlationId: 'c', causationId: 'c', occurredAt: '', recordedAt: '', schemaVersion },
  };
}

describe('event registry', () => {
  const standard = { code: 'EC0105', version: '01', title: 't', validityYears: 5, registeredAt: '2018-01-01T00:00:00.000Z' };

  it('reads a stored event of a known type and version', () => {
    expect(parseLedgerEvent(recorded('StandardRegistered', standard))).toEqual({ type: 'StandardRegistered', data: standard });
    expect(occurredAtOf({ type: 'StandardRegistered', data: standard })).toBe(standard.registeredAt);
  });

  it('refuses unknown types, unknown versions and incomplete data instead of guessing', () => {
    expect(() => parseLedgerEvent(recorded('Nope', {}))).toThrow(UnreadableEventError);
    expect(() => parseLedgerEvent(recorded('toString', {}))).toThrow(UnreadableEventError);
    expect(() => parseLedgerEvent(recorded('StandardRegistered', standard, 2))).toThrow(/schema version 2/);
    expect(() => parseLedgerEvent(recorded('StandardRegistered', { code: 'EC0105' }))).toThrow(/lacks version/);
    expect(() => parseLedgerEvent(recorded('StandardRegistered', null))).toThrow(/not an object/);
  });

  it('covers every event type of the domain with schema version 1 today', () => {
    expect(Object.keys(EVENT_REGISTRY)).toHaveLength(14);
    for (const codec of Object.values(EVENT_REGISTRY)) expect(codec.schemaVersion).toBe(1);
  });
});
