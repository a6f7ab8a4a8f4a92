import type { RecordedEvent } from './event-store.port';
import { EVENT_REGISTRY, occurredAtOf, parseLedgerEvent, UnreadableEventError, upcastRecordedEvent } from './ledger-event-registry';

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
    expect(() => parseLedgerEvent(recorded('StandardRegistered', standard, 0))).toThrow(/schema version 0/);
    expect(() => parseLedgerEvent(recorded('StandardRegistered', { code: 'EC0105' }))).toThrow(/lacks version/);
    expect(() => parseLedgerEvent(recorded('StandardRegistered', null))).toThrow(/not an object/);
  });

  it('covers every event type of the domain, with an upcaster for every version before today’s', () => {
    expect(Object.keys(EVENT_REGISTRY)).toHaveLength(18);
    for (const codec of Object.values(EVENT_REGISTRY)) {
      for (let version = 1; version < codec.schemaVersion; version += 1) expect(codec.upcasters?.[version]).toEqual(expect.any(Function));
    }
    expect(EVENT_REGISTRY.EvaluatorAccredited.schemaVersion).toBe(2);
  });

  it('reads a credential of schema 1 (no validFrom) as in force from the day it was recorded', () => {
    const v1 = { evaluatorId: 'e', subjectId: 's', providerId: 'p', standards: ['EC0105'], credentialFolio: 'C', validUntil: '2030-12-31', accreditedAt: '2026-11-30T18:00:00.000Z' };
    expect(parseLedgerEvent(recorded('EvaluatorAccredited', v1))).toEqual({ type: 'EvaluatorAccredited', data: { ...v1, validFrom: '2026-11-30' } });
    const upcast = upcastRecordedEvent(recorded('EvaluatorAccredited', v1));
    expect(upcast.data).toEqual({ ...v1, validFrom: '2026-11-30' });
    expect(upcast.metadata.schemaVersion).toBe(1);
    const revocation = { evaluatorId: 'e', standardCode: 'EC0105', reason: 'r', revokedAt: '2026-11-30T18:00:00.000Z' };
    expect(parseLedgerEvent(recorded('EvaluatorAccreditationRevoked', revocation))).toEqual({ type: 'EvaluatorAccreditationRevoked', data: revocation });
  });

  it('hands readers an event it cannot upcast unchanged', () => {
    const odd = recorded('EvaluatorAccredited', 'not an object');
    expect(upcastRecordedEvent(odd)).toBe(odd);
    const future = recorded('EvaluatorAccredited', {}, 9);
    expect(upcastRecordedEvent(future)).toBe(future);
  });
});
