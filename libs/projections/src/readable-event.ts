import { displayText } from '@ledger/domain';
import { upcastRecordedEvent, type RecordedEvent } from '@ledger/event-store';

/**
 * The event as every fold reads it, whatever the log holds: data upcast to
 * today's schema (the registry's upcasters, as the write side reads it), and
 * every string in data and metadata, keys included, made displayable (NFC,
 * control characters, unpaired surrogates and bidirectional controls shown
 * as U+FFFD; see displayText). Events written before the text rule, or
 * straight into the store, thus fold like any other: nothing in them can
 * make PostgreSQL refuse a row (NUL in text or in jsonb), and every
 * projection sees the same strings for the same event, keys included.
 */
export function readableEvent(recorded: RecordedEvent): RecordedEvent {
  const upcast = upcastRecordedEvent(recorded);
  // Nearly every event is clean: one walk without allocating tells, and only the rest are copied.
  if (!needsRepair(upcast.data, 0) && !needsRepair(upcast.metadata, 0) && isShown(upcast.streamId) && isShown(upcast.type)) return upcast;
  const data = readable(upcast.data, 0);
  const metadata = readable(upcast.metadata, 0) as RecordedEvent['metadata'];
  return { ...upcast, type: displayText(upcast.type), streamId: displayText(upcast.streamId), data, metadata };
}

/**
 * Opens the personal data of `person-*` events (libs/personal-data's vault,
 * the ledger's one decryption point) before folds see them: with the
 * subject's key the fields read in plaintext; without it (erased, or no
 * opener given) they read as erased. It throws only when its key store is
 * away, which fails the batch like any store outage.
 */
export interface PersonalDataOpener {
  open(events: readonly RecordedEvent[]): Promise<RecordedEvent[]>;
}

/** The events as folds read them: personal data opened, then readableEvent. */
export async function readableEvents(stored: readonly RecordedEvent[], personalData: PersonalDataOpener | undefined): Promise<RecordedEvent[]> {
  const opened = personalData ? await personalData.open(stored) : stored;
  return opened.map(readableEvent);
}

/** Nesting deeper than this is not data the ledger writes; it is cut off rather than walked. */
const MAX_DEPTH = 32;
const PRINTABLE_ASCII = /^[\x20-\x7e]*$/;

/** True when the string is shown as it is (displayText would return it unchanged). */
function isShown(text: string): boolean {
  return PRINTABLE_ASCII.test(text) || displayText(text) === text;
}

function needsRepair(value: unknown, depth: number): boolean {
  if (typeof value === 'string') return !isShown(value);
  if (value === null || typeof value !== 'object') return false;
  if (depth >= MAX_DEPTH) return true;
  if (Array.isArray(value)) {
    for (const item of value) if (needsRepair(item, depth + 1)) return true;
    return false;
  }
  for (const key in value) {
    if (!Object.hasOwn(value, key)) continue;
    if (!isShown(key) || needsRepair((value as Record<string, unknown>)[key], depth + 1)) return true;
  }
  return false;
}

/** The value with displayable strings; the same object when nothing needed a change, so clean events cost no copies. */
function readable(value: unknown, depth: number): unknown {
  if (typeof value === 'string') return displayText(value);
  if (value === null || typeof value !== 'object') return value;
  if (depth >= MAX_DEPTH) return null;
  if (Array.isArray(value)) {
    let changed = false;
    const items = value.map((item) => {
      const shown = readable(item, depth + 1);
      if (shown !== item) changed = true;
      return shown;
    });
    return changed ? items : value;
  }
  let changed = false;
  const entries = Object.entries(value as Record<string, unknown>).map(([key, item]): [string, unknown] => {
    const shownKey = displayText(key);
    const shown = readable(item, depth + 1);
    if (shownKey !== key || shown !== item) changed = true;
    return [shownKey, shown];
  });
  return changed ? Object.fromEntries(entries) : value;
}
