import { createHmac } from 'node:crypto';

/**
 * The opaque identifier of a person inside the ledger: HMAC-SHA-256 of the
 * normalised CURP under the ledger's subject key, as 64 lowercase hex digits.
 * Deterministic, so "one open process per person and standard" can be decided
 * on `person-{subjectId}`; keyed, so nobody can recompute it from a CURP list
 * without the key, which is what keeps stream names, read models and logs free
 * of personal data.
 */
export function subjectIdOf(subjectKey: string, normalisedCurp: string): string {
  return createHmac('sha256', subjectKey).update(normalisedCurp, 'utf8').digest('hex');
}

/**
 * The random-looking bytes a folio is made from. Keyed by the folio key, so a
 * folio cannot be guessed from the process id or from other folios; derived
 * from the process id, so issuing the same certificate twice gives the same
 * folio. `attempt` moves to the next candidate when a folio is already taken.
 */
export function folioBytesOf(folioKey: string, processId: string, attempt: number): Buffer {
  if (!Number.isInteger(attempt) || attempt < 0) throw new RangeError(`attempt must be a non-negative integer, got ${attempt}`);
  return createHmac('sha256', folioKey).update(`${processId}:${attempt}`, 'utf8').digest();
}
