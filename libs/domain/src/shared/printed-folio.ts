import { DomainError } from './domain-error';
import { parseText } from './text';

/** Folios printed on paper certificates before the ledger: letters, digits and the separators they use. */
const PRINTED_FOLIO = /^[\p{L}\p{N}](?:[\p{L}\p{N} ./-]*[\p{L}\p{N}])?$/u;
export const MAX_PRINTED_FOLIO_LENGTH = 64;

/**
 * The folio printed on a paper certificate an import brings, kept as it was
 * (beside the ledger's own folio, which public verification uses: a printed
 * one may be sequential, and so guessable). Text as any the ledger records
 * (no control characters, NFC, spaces collapsed), then letters, digits,
 * spaces and `- / .` between them. Throws INVALID_TEXT, REQUIRED_FIELD or
 * INVALID_FIELD naming `printedFolio`.
 */
export function parsePrintedFolio(value: unknown, field = 'printedFolio'): string {
  const text = parseText(value, field, MAX_PRINTED_FOLIO_LENGTH);
  if (!PRINTED_FOLIO.test(text)) throw new DomainError('INVALID_FIELD', `${field} holds letters, digits, spaces and - / . only`, { field });
  return text;
}
