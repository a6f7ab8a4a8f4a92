import { FixedClock, SystemClock } from './ledger-clock';

describe('LedgerClock', () => {
  it('given a fixed clock, then it tells the instant it was given until advanced, and ids from a counter', () => {
    const clock = new FixedClock(new Date('2026-12-03T12:00:00.000Z'));
    expect(clock.now().toISOString()).toBe('2026-12-03T12:00:00.000Z');
    clock.advance(30_001);
    expect(clock.now().toISOString()).toBe('2026-12-03T12:00:30.001Z');
    expect([clock.newId(), clock.newId()]).toEqual(['00000000-0000-4000-8000-000000000001', '00000000-0000-4000-8000-000000000002']);
  });

  it('given the system clock, then ids are random UUIDs v4', () => {
    const clock = new SystemClock();
    const ids = new Set(Array.from({ length: 100 }, () => clock.newId()));
    expect(ids.size).toBe(100);
    for (const id of ids) expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });
});
