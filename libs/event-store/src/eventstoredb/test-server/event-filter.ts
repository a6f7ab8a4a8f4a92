/**
 * Server-side filters of $all reads and subscriptions (ReadReq.Options.filter):
 * on the event type or on the stream name, by a list of prefixes or by a
 * regular expression, and the checkpoint interval that goes with them.
 */
import type { ReadReq } from '@eventstore/db-client/generated/streams_pb';
import type { StoredRecord } from './in-memory-log';

export interface EventFilter {
  matches(record: StoredRecord): boolean;
  /** Send a checkpoint after this many considered events (filtered subscriptions only). */
  checkpointInterval: number;
}

/** EventStoreDB's default search window, which the multiplier scales. */
const DEFAULT_MAX_SEARCH_WINDOW = 32;

export function eventFilterOf(options: ReadReq.Options): EventFilter | undefined {
  const filter = options.getFilter();
  if (!options.hasFilter() || !filter) return undefined;
  const onType = filter.hasEventType();
  const expression = onType ? filter.getEventType()! : filter.getStreamIdentifier()!;
  const test = expressionTest(expression);
  const window = filter.hasMax() ? filter.getMax() : DEFAULT_MAX_SEARCH_WINDOW;
  return {
    matches: (record) => test(onType ? record.type : record.streamId),
    checkpointInterval: Math.max(1, filter.getCheckpointintervalmultiplier()) * window,
  };
}

/** A regex wins over prefixes when both are set, as on the server. */
function expressionTest(expression: ReadReq.Options.FilterOptions.Expression): (value: string) => boolean {
  const regex = expression.getRegex();
  if (regex) {
    const compiled = new RegExp(regex);
    return (value) => compiled.test(value);
  }
  const prefixes = expression.getPrefixList();
  return (value) => prefixes.some((prefix) => value.startsWith(prefix));
}
