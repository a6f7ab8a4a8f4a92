/**
 * An aggregate as two pure functions and a starting point (Emmett's decider).
 * The handler folds the stream with `evolve` from `initialState`, calls
 * `decide`, and appends what it returns with the revision it read.
 * An empty array means "already done": the command is an idempotent retry.
 */
export interface Decider<Command, Event, State> {
  decide(command: Command, state: State): Event[];
  evolve(state: State, event: Event): State;
  initialState: State;
}

/** Folds events into a state, starting from the decider's initial state. */
export function fold<Event, State>(
  decider: Pick<Decider<unknown, Event, State>, 'evolve' | 'initialState'>,
  events: readonly Event[],
): State {
  return events.reduce(decider.evolve, decider.initialState);
}

/** Makes a switch exhaustive at compile time, and loud at run time when bad data slips in. */
export function assertNever(value: never, what: string): never {
  throw new Error(`unexpected ${what}: ${JSON.stringify(value)}`);
}
