import { WrongExpectedRevisionError } from '@ledger/event-store';
import { withConcurrencyRetry } from './concurrency-retry';

describe('withConcurrencyRetry', () => {
  it('retries revision conflicts and returns the first success', async () => {
    let calls = 0;
    const result = await withConcurrencyRetry(async () => {
      calls += 1;
      if (calls < 3) throw new WrongExpectedRevisionError('s', 1n, 2n);
      return 'done';
    });
    expect([result, calls]).toEqual(['done', 3]);
  });

  it('gives up after the bound, and never retries other errors', async () => {
    let calls = 0;
    await expect(withConcurrencyRetry(async () => { calls += 1; throw new WrongExpectedRevisionError('s', 1n, 2n); }, 3)).rejects.toBeInstanceOf(WrongExpectedRevisionError);
    expect(calls).toBe(3);
    calls = 0;
    await expect(withConcurrencyRetry(async () => { calls += 1; throw new Error('boom'); })).rejects.toThrow('boom');
    expect(calls).toBe(1);
  });
});
