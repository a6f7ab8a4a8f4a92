import { awaitFirstRead, recordReadPosition } from './read-position';

/** What tells a cached answer from a stale one: the read side's checkpoint notifications. */
export interface ReadModelChanges {
  /**
   * A number that moves whenever a projection may have committed (every
   * checkpoint notification, and every reconnection of their listener), or
   * undefined while that cannot be known (the listener is down).
   */
  changeCount(): number | undefined;
  /** The position a projection is known to have reached: a lower bound. */
  knownPosition(projection: string): bigint;
}

const DEFAULT_MAX_ENTRIES = 512;

/** A bound on what the entries hold together, for answers of very different sizes: each answer's weight, and the most they may weigh. */
export interface AnswerWeight<T> {
  readonly max: number;
  readonly of: (answer: T) => number;
}

/**
 * Answers of a query route kept while nothing they were read from can have
 * changed: an entry counts while the read side's change count is the one
 * read before the answer was computed, and its position is no lower than
 * the position the projection is known to have reached (so a request that
 * waited for its own write, `minPosition`, never gets an answer from before
 * it). Nothing is kept while the change count cannot be known. Only for
 * answers that depend on nothing else (not on the clock: a status filter
 * compares with now). Least recently used entries go first, as many as
 * keep the entries within their count and, when given, their weight;
 * answers are frozen, shared by every request that gets them.
 */
export class AnswerCache<T extends { position: string }> {
  private readonly entries = new Map<string, { change: number; answer: T; weight: number }>();
  private weight = 0;

  private readonly projections: readonly string[];

  /**
   * `projections`: what the answers are read from; an answer's position is
   * the lowest of theirs, as inOneStatement and inReadSnapshot read it.
   * A `maxEntries` of 0 keeps nothing; an answer heavier than `weight.max`
   * is never kept.
   */
  constructor(
    private readonly changes: ReadModelChanges,
    projections: string | readonly string[],
    private readonly maxEntries = DEFAULT_MAX_ENTRIES,
    private readonly weighing?: AnswerWeight<T>,
  ) {
    this.projections = typeof projections === 'string' ? [projections] : projections;
  }

  /**
   * The answer kept for `key`, or `compute`'s. `stands`, when given, is what
   * else a kept answer depends on (the clock, for a status that expires): a
   * kept answer it says no to is computed again. `worthKeeping`, when
   * given, says which answers are small enough to keep (the bound on entries
   * is a bound on memory only if each entry is bounded too).
   */
  async answer(key: string, compute: () => Promise<T>, stands?: (answer: T) => boolean, worthKeeping?: (answer: T) => boolean): Promise<T> {
    // Read-your-writes first: the wait is what may make an entry too old.
    await awaitFirstRead();
    const change = this.changes.changeCount();
    if (change === undefined || this.maxEntries <= 0) return compute();
    const hit = this.entries.get(key);
    if (hit && hit.change === change && BigInt(hit.answer.position) >= this.knownPosition() && (!stands || stands(hit.answer))) {
      this.entries.delete(key);
      this.entries.set(key, hit);
      recordReadPosition(BigInt(hit.answer.position));
      return hit.answer;
    }
    const answer = deepFreeze(await compute());
    if (worthKeeping && !worthKeeping(answer)) return answer;
    const weight = this.weighing?.of(answer) ?? 0;
    if (this.weighing && weight > this.weighing.max) return answer;
    this.forget(key);
    while (this.entries.size >= this.maxEntries || (this.weighing && this.weight + weight > this.weighing.max)) {
      this.forget(this.entries.keys().next().value as string);
    }
    this.entries.set(key, { change, answer, weight });
    this.weight += weight;
    return answer;
  }

  private forget(key: string): void {
    const entry = this.entries.get(key);
    if (!entry) return;
    this.entries.delete(key);
    this.weight -= entry.weight;
  }

  /** Where the answers' projections are known to stand together: the lowest of their known positions. */
  private knownPosition(): bigint {
    let lowest: bigint | undefined;
    for (const projection of this.projections) {
      const known = this.changes.knownPosition(projection);
      if (lowest === undefined || known < lowest) lowest = known;
    }
    return lowest ?? -1n;
  }
}

/** Freezes a value and everything it holds: what a cache shares between requests cannot be changed by one of them. */
export function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const member of Object.values(value)) deepFreeze(member);
  }
  return value;
}
