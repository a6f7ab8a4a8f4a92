import { isStorageOutage, isTransientStorageFailure } from './storage-outage';

const pgError = (code: string, message = 'server said no') => Object.assign(new Error(message), { code });

describe('storage outages', () => {
  it.each([
    ['a refused connection', Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' })],
    ['an administrator shutdown (57P01)', pgError('57P01', 'terminating connection due to administrator command')],
    ['crash recovery (57P02)', pgError('57P02')],
    ['starting up (57P03)', pgError('57P03')],
    ['too many connections (53300)', pgError('53300')],
    ['a lost connection (08006)', pgError('08006')],
    ['pg losing its connection', new Error('Connection terminated unexpectedly')],
    ['a client closed after an error', new Error('Client was closed and is not queryable')],
    ['EventStoreDB unavailable', Object.assign(new Error('unavailable'), { type: 'unavailable' })],
    ['gRPC UNAVAILABLE', Object.assign(new Error('14 UNAVAILABLE'), { code: 14 })],
    ['a wrapped outage', Object.assign(new Error('query failed'), { driverError: pgError('57P01') })],
  ])('%s is an outage', (_name, error) => {
    expect(isStorageOutage(error)).toBe(true);
    expect(isTransientStorageFailure(error)).toBe(true);
  });

  it.each([
    ['bad text for UTF-8 (22021)', pgError('22021', 'invalid byte sequence for encoding "UTF8": 0x00')],
    ['a value out of range (22008)', pgError('22008')],
    ['a unique violation (23505)', pgError('23505')],
    ['a missing column (42703)', pgError('42703')],
    ['a fold bug', new TypeError("Cannot read properties of undefined (reading 'state')")],
    ['not an error at all', 'boom'],
  ])('%s is not', (_name, error) => {
    expect(isStorageOutage(error)).toBe(false);
    expect(isTransientStorageFailure(error)).toBe(false);
  });

  it('counts serialization failures, deadlocks and lock timeouts as worth another try, not as outages', () => {
    for (const code of ['40001', '40P01', '55P03']) {
      expect(isStorageOutage(pgError(code))).toBe(false);
      expect(isTransientStorageFailure(pgError(code))).toBe(true);
    }
  });
});
