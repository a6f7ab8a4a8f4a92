import { ROUTE_PATTERN, SUBJECT_ID, type AccessLogEntry } from './access-log-entry';

/** Under the data folder: entries a shutdown could not write, one JSON object a line, written at the next start. */
export const UNWRITTEN_FOLDER = 'access-log-unwritten';

/**
 * The entries of such a file. Each line is checked to be an entry as the
 * ledger wrote it (a file edited by hand does not smuggle text into the log);
 * a line that is not is an error that stops the start, for an operator to look at.
 */
export function parseUnwrittenEntries(text: string): AccessLogEntry[] {
  return text
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line, index) => {
      const entry = JSON.parse(line) as AccessLogEntry;
      if (!isEntry(entry)) throw new Error(`Line ${index + 1} of an access-log-unwritten file is not an access log entry`);
      return entry;
    });
}

function isEntry(value: unknown): value is AccessLogEntry {
  const entry = value as Record<string, unknown> | null;
  const text = (key: string) => typeof entry?.[key] === 'string' && (entry[key] as string).length <= 256;
  return (
    typeof entry === 'object' &&
    entry !== null &&
    text('readAt') &&
    !Number.isNaN(Date.parse(entry.readAt as string)) &&
    text('actorId') &&
    text('actorRole') &&
    text('actorOrganizationId') &&
    (entry.actorJurisdiction === null || text('actorJurisdiction')) &&
    text('route') &&
    ROUTE_PATTERN.test(entry.route as string) &&
    text('correlationId') &&
    Array.isArray(entry.subjectIds) &&
    entry.subjectIds.length > 0 &&
    entry.subjectIds.every((id) => typeof id === 'string' && SUBJECT_ID.test(id))
  );
}
