import type { Actor } from './actor';

/**
 * What the handler adds to every command: who asks (from the credentials, never
 * from a request body) and the server clock. The domain reads no clock of its own,
 * so `now` is the only "present" a decision ever sees.
 */
export interface CommandMetadata {
  actor: Actor;
  /** The server clock as an ISO 8601 UTC timestamp. */
  now: string;
}

/**
 * One shape for every command: `{ type, data, metadata }`. Facts from other
 * streams (a folded standard, provider or evaluator state) travel inside `data`,
 * named after what they are, so `decide` needs nothing but its arguments.
 */
export interface Command<Type extends string, Data> {
  type: Type;
  data: Data;
  metadata: CommandMetadata;
}
