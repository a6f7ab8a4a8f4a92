import type { RecordedEvent } from '../event-store.port';
import { testMetadata } from '../testing/test-events';
import { MAX_STREAMS_PER_READ, StreamReadBatcher } from './stream-read-batcher';

const event = (streamId: string, revision: number): RecordedEvent => ({
  id: `${streamId}-${revision}`,
  type: 'T',
  data: {},
  metadata: testMetadata(),
  streamId,
  revision: BigInt(revision),
  position: BigInt(revision),
});

/** A store of two streams behind readStreams, recording each call. */
function fakeStore(fail?: Error) {
  const calls: string[][] = [];
  const streams = new Map([
    ['a', [event('a', 0), event('a', 1)]],
    ['b', [event('b', 0)]],
  ]);
  const readStreams = async (ids: readonly string[]) => {
    calls.push([...ids]);
    if (fail) throw fail;
    return new Map(ids.map((id) => [id, streams.get(id) ?? []]));
  };
  return { calls, batcher: new StreamReadBatcher(readStreams) };
}

const nextTurn = () => new Promise((resolve) => setImmediate(resolve));

describe('StreamReadBatcher', () => {
  it('answers the reads of one turn with one query, each reader with its own array', async () => {
    const { calls, batcher } = fakeStore();
    const [a1, b, a2, missing] = await Promise.all([batcher.read('a'), batcher.read('b'), batcher.read('a'), batcher.read('none')]);
    expect(calls).toEqual([['a', 'b', 'none']]);
    expect(a1.map((e) => e.id)).toEqual(['a-0', 'a-1']);
    expect(b.map((e) => e.id)).toEqual(['b-0']);
    expect(missing).toEqual([]);
    expect(a2).toEqual(a1);
    expect(a2).not.toBe(a1);
  });

  it('reads again in a later turn: an answer is never older than its question', async () => {
    const { calls, batcher } = fakeStore();
    await batcher.read('a');
    await nextTurn();
    await batcher.read('a');
    expect(calls).toEqual([['a'], ['a']]);
  });

  it(`splits a turn's reads into queries of at most ${MAX_STREAMS_PER_READ} streams`, async () => {
    const { calls, batcher } = fakeStore();
    await Promise.all(Array.from({ length: MAX_STREAMS_PER_READ + 3 }, (_, index) => batcher.read(`s${index}`)));
    expect(calls.map((ids) => ids.length)).toEqual([MAX_STREAMS_PER_READ, 3]);
  });

  it('fails every read a failed query served, and the next turn reads afresh', async () => {
    const failing = fakeStore(new Error('connection lost'));
    const reads = [failing.batcher.read('a'), failing.batcher.read('b')];
    for (const read of reads) await expect(read).rejects.toThrow('connection lost');
    await expect(failing.batcher.read('a')).rejects.toThrow('connection lost');
    expect(failing.calls).toHaveLength(2);
  });
});
