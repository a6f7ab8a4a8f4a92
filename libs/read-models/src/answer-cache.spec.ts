import { AnswerCache, type ReadModelChanges } from './answer-cache';
import { withReadPositionSink } from './read-position';

/** Changes moved by hand. */
class Changes implements ReadModelChanges {
  count: number | undefined = 0;
  known = -1n;
  changeCount(): number | undefined {
    return this.count;
  }
  knownPosition(): bigint {
    return this.known;
  }
}

function setUp(maxEntries?: number) {
  const changes = new Changes();
  const cache = new AnswerCache<{ position: string; n: number }>(changes, 'certification', maxEntries);
  let computed = 0;
  const compute = (position = '10') => async () => ({ position, n: (computed += 1) });
  return { changes, cache, compute, computedTimes: () => computed };
}

describe('AnswerCache', () => {
  it('answers again from the cache while nothing changed, and records the answer’s position for the request', async () => {
    const { cache, compute, computedTimes } = setUp();
    expect(await cache.answer('a', compute())).toEqual({ position: '10', n: 1 });
    const recorded: bigint[] = [];
    const again = await withReadPositionSink({ record: (position) => recorded.push(position) }, () => cache.answer('a', compute()));
    expect(again).toEqual({ position: '10', n: 1 });
    expect(recorded).toEqual([10n]);
    expect(computedTimes()).toBe(1);
    expect(Object.isFrozen(again)).toBe(true);
  });

  it('computes again once a checkpoint was notified, or a projection is known to be further than the answer', async () => {
    const { changes, cache, compute, computedTimes } = setUp();
    await cache.answer('a', compute());
    changes.count = 1;
    expect((await cache.answer('a', compute('11'))).n).toBe(2);
    changes.known = 12n; // a refresh saw a checkpoint before its notification came
    expect((await cache.answer('a', compute('12'))).n).toBe(3);
    expect((await cache.answer('a', compute('12'))).n).toBe(3);
    expect(computedTimes()).toBe(3);
  });

  it('keeps nothing while changes cannot be known (the listener is down)', async () => {
    const { changes, cache, compute, computedTimes } = setUp();
    changes.count = undefined;
    await cache.answer('a', compute());
    await cache.answer('a', compute());
    expect(computedTimes()).toBe(2);
  });

  it('waits for read-your-writes before it looks, and keeps one entry per key, the least recently used going first', async () => {
    const { changes, cache, compute, computedTimes } = setUp(2);
    await cache.answer('a', compute());
    await cache.answer('b', compute());
    await cache.answer('a', compute()); // a is now the most recent
    await cache.answer('c', compute()); // b goes
    expect(computedTimes()).toBe(3);
    await cache.answer('a', compute());
    expect(computedTimes()).toBe(3);
    await cache.answer('b', compute());
    expect(computedTimes()).toBe(4);
    const order: string[] = [];
    const sink = {
      record: () => order.push('record'),
      beforeFirstRead: async () => {
        order.push('wait');
        changes.known = 99n; // the wait saw the projection reach the caller's write
      },
    };
    await withReadPositionSink(sink, () => cache.answer('a', compute('99')));
    expect(order[0]).toBe('wait');
    expect(computedTimes()).toBe(5);
  });

  it('keeps only what worthKeeping allows, and still answers the rest', async () => {
    const { cache, compute, computedTimes } = setUp();
    const small = (answer: { n: number }) => answer.n !== 1;
    expect((await cache.answer('big', compute(), undefined, small)).n).toBe(1);
    expect((await cache.answer('big', compute(), undefined, small)).n).toBe(2);
    expect((await cache.answer('big', compute(), undefined, small)).n).toBe(2);
    expect(computedTimes()).toBe(2);
  });

  it('keeps the entries within their weight, the least recently used going first, and never one heavier than the bound', async () => {
    const changes = new Changes();
    const cache = new AnswerCache<{ position: string; size: number; n: number }>(changes, 'certification', 100, { max: 10, of: (answer) => answer.size });
    let computed = 0;
    const compute = (size: number) => async () => ({ position: '10', size, n: (computed += 1) });
    const kept = async (key: string, size: number) => {
      const before = computed;
      await cache.answer(key, compute(size));
      return computed === before;
    };
    expect(await kept('a', 4)).toBe(false);
    expect(await kept('b', 4)).toBe(false);
    expect(await kept('a', 4)).toBe(true); // a is now the most recent
    expect(await kept('c', 4)).toBe(false); // 12 > 10: b goes, a stays
    expect(await kept('a', 4)).toBe(true);
    expect(await kept('b', 4)).toBe(false); // c goes
    expect(await kept('c', 4)).toBe(false); // a goes (b was just read)
    expect(await kept('heavy', 11)).toBe(false);
    expect(await kept('heavy', 11)).toBe(false); // never kept, and nothing pushed out for it
    expect(await kept('b', 4)).toBe(true);
    expect(await kept('c', 4)).toBe(true);
    expect(await kept('whole', 10)).toBe(false); // takes the whole weight: b and c go
    expect(await kept('whole', 10)).toBe(true);
    expect(await kept('b', 4)).toBe(false);
  });
});
