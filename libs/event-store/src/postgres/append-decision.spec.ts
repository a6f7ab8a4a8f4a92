import { randomUUID } from 'node:crypto';
import { DuplicateEventIdError, ExpectedRevision, WrongExpectedRevisionError } from '../event-store.port';
import { AppendOutcome, appendResult, decideAppends, EventPlace, expectedState, LogState, PendingAppend } from './append-decision';

const append = (streamId: string, expectedRevision: ExpectedRevision = 'any', ids = [randomUUID()]): PendingAppend => ({
  streamId,
  expectedRevision,
  events: ids.map((id) => ({ id, type: 'Tested', data: '{}', metadata: '{}' })),
});

const state = (streamRevisions: [string, bigint][] = [], storedIds: [string, EventPlace][] = []): LogState => ({
  streamRevisions: new Map(streamRevisions),
  storedIds: new Map(storedIds),
});

/** What each caller would get if the batch's rows were placed after position 99. */
const answers = (outcomes: AppendOutcome[]) =>
  outcomes.map((outcome) => (outcome.kind === 'failed' ? outcome.error : appendResult(outcome, 99n)));

describe('decideAppends (group commit)', () => {
  it('decides each append against the log as left by the appends before it in the batch', () => {
    const { outcomes, rows } = decideAppends(
      [append('a', 'no_stream'), append('a', 0n), append('b', 'stream_exists'), append('a', 'no_stream')],
      state([['b', 4n]]),
    );

    expect(answers(outcomes)).toEqual([
      { nextExpectedRevision: 0n, position: 100n },
      { nextExpectedRevision: 1n, position: 101n },
      { nextExpectedRevision: 5n, position: 102n },
      new WrongExpectedRevisionError('a', 'no_stream', 1n),
    ]);
    expect(rows.map((row) => [row.streamId, row.revision])).toEqual([
      ['a', 0n],
      ['a', 1n],
      ['b', 5n],
    ]);
  });

  it('fails a conflicting append alone and keeps the rows of the others contiguous', () => {
    const { outcomes, rows } = decideAppends([append('a'), append('b', 7n), append('c')], state([['b', 2n]]));

    expect(outcomes.map((outcome) => outcome.kind)).toEqual(['written', 'failed', 'written']);
    expect(answers(outcomes)[2]).toEqual({ nextExpectedRevision: 0n, position: 101n });
    expect(rows.map((row) => row.streamId)).toEqual(['a', 'c']);
  });

  it('answers a retry of stored ids with the original result, whatever it expects now', () => {
    const [first, second] = [randomUUID(), randomUUID()];
    const stored = state(
      [['a', 9n]],
      [
        [first, { streamId: 'a', revision: 3n, position: 40n }],
        [second, { streamId: 'a', revision: 4n, position: 41n }],
      ],
    );

    const { outcomes, rows } = decideAppends([append('a', 'no_stream', [first, second])], stored);

    expect(answers(outcomes)).toEqual([{ nextExpectedRevision: 4n, position: 41n }]);
    expect(rows).toEqual([]);
  });

  it('answers a retry within the same batch with the result of the append it repeats', () => {
    const ids = [randomUUID(), randomUUID()];
    const { outcomes, rows } = decideAppends([append('a', 'no_stream', ids), append('a', 'no_stream', ids)], state());

    expect(answers(outcomes)).toEqual([
      { nextExpectedRevision: 1n, position: 101n },
      { nextExpectedRevision: 1n, position: 101n },
    ]);
    expect(rows).toHaveLength(2);
  });

  it.each([
    ['in another stream', [{ streamId: 'b', revision: 0n, position: 7n }]],
    ['in another order', [{ streamId: 'a', revision: 1n, position: 8n }, { streamId: 'a', revision: 0n, position: 7n }]],
    ['next to a new id', [{ streamId: 'a', revision: 0n, position: 7n }, undefined]],
  ])('refuses stored ids %s with DuplicateEventIdError', (_case, places) => {
    const ids = places.map(() => randomUUID());
    const stored = ids.flatMap((id, index): [string, EventPlace][] => (places[index] ? [[id, places[index]!]] : []));

    const { outcomes, rows } = decideAppends([append('a', 'any', ids)], state([['a', 1n]], stored));

    expect(answers(outcomes)[0]).toBeInstanceOf(DuplicateEventIdError);
    expect(rows).toEqual([]);
  });
});

describe('expectedState', () => {
  it('believes each stream is where its first append expects it, with no id stored', () => {
    const believed = expectedState([append('a', 'no_stream'), append('b', 4n), append('a', 0n), append('b', 9n)]);

    expect(believed).toEqual(state([['b', 4n]]));
  });

  it.each<ExpectedRevision>(['any', 'stream_exists'])('has no belief when an append expects %s', (open) => {
    expect(expectedState([append('a', 3n), append('b', open)])).toBeNull();
  });
});
