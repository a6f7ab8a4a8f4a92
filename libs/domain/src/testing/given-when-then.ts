import type { Decider } from '../shared/decider';
import { fold } from '../shared/decider';
import { DomainError, type DomainErrorCode } from '../shared/domain-error';

/**
 * `given(decider, pastEvents).when(command).then(newEvents)` or
 * `.thenThrows(code)`: a decider test reads like the rule it checks.
 * Uses Jest's `expect`, so import it from specs only.
 */
export function given<Command, Event, State>(decider: Decider<Command, Event, State>, events: readonly Event[] = []) {
  const state = fold(decider, events);
  return {
    when(command: Command) {
      const run = (): Event[] => decider.decide(command, state);
      return {
        then(expected: Event[]): Event[] {
          const produced = run();
          expect(produced).toEqual(expected);
          return produced;
        },
        /** Accepted as an idempotent retry: nothing new to append. */
        thenNothing(): void {
          expect(run()).toEqual([]);
        },
        thenThrows(code: DomainErrorCode, details?: Record<string, unknown>): DomainError {
          const error = caught(run);
          // Compared with the message attached, so a wrong code shows why the decider refused.
          expect(`${error.code}: ${error.message}`).toMatch(new RegExp(`^${code}: `));
          if (details !== undefined) expect(error.details).toEqual(expect.objectContaining(details));
          return error;
        },
        /** The state after folding the past events and the decided ones. */
        thenState(expected: State): void {
          expect(run().reduce(decider.evolve, state)).toEqual(expected);
        },
      };
    },
  };
}

function caught(run: () => unknown): DomainError {
  let produced: unknown;
  try {
    produced = run();
  } catch (error) {
    if (error instanceof DomainError) return error;
    throw error;
  }
  throw new Error(`expected a DomainError, but decide returned ${JSON.stringify(produced)}`);
}
