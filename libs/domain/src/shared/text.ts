import { DomainError } from './domain-error';

/**
 * Free text (names, agencies, titles, reasons, folios, municipalities) is
 * text a person can read: it holds no control characters, no unpaired
 * surrogates and no bidirectional controls, and it is stored in Unicode NFC
 * so that the same name typed on two keyboards is the same string.
 *
 * - Control characters (Unicode category Cc: C0, DEL and C1, tab and newline
 *   included) have no place in a one-line field; NUL in particular cannot be
 *   stored in PostgreSQL text at all.
 * - An unpaired surrogate is not a character: it cannot be encoded in UTF-8,
 *   and every reader would show something different for it.
 * - Bidirectional controls (Unicode property Bidi_Control: embeddings,
 *   overrides, isolates and marks) make text display in an order other than
 *   the one stored, which lets a name or a folio read as something it is not.
 */
export type TextFlaw = 'control_character' | 'unpaired_surrogate' | 'bidi_control';

const FLAWED = /[\p{Cc}\p{Bidi_Control}]|\p{Cs}/u;
const FLAWED_GLOBAL = /[\p{Cc}\p{Bidi_Control}]|\p{Cs}/gu;
/** Most text is plain printable ASCII, which needs neither a scan for flaws nor normalisation. */
const PRINTABLE_ASCII = /^[\x20-\x7e]*$/;
const CONTROL = /^\p{Cc}$/u;
const SURROGATE = /^\p{Cs}$/u;

/** The first flaw in the text and the code point that shows it, or undefined when the text is clean. */
export function findTextFlaw(text: string): { flaw: TextFlaw; codePoint: string } | undefined {
  if (PRINTABLE_ASCII.test(text)) return undefined;
  const match = FLAWED.exec(text);
  if (match === null) return undefined;
  const character = match[0];
  const flaw: TextFlaw = CONTROL.test(character) ? 'control_character' : SURROGATE.test(character) ? 'unpaired_surrogate' : 'bidi_control';
  const codePoint = `U+${(character.codePointAt(0) ?? 0).toString(16).toUpperCase().padStart(4, '0')}`;
  return { flaw, codePoint };
}

const FLAW_WORDS: Readonly<Record<TextFlaw, string>> = {
  control_character: 'a control character',
  unpaired_surrogate: 'an unpaired surrogate',
  bidi_control: 'a bidirectional control character',
};

/** "fullName holds a control character (U+0000)": names the flaw and its code point, never the text. */
export function describeTextFlaw(field: string, found: { flaw: TextFlaw; codePoint: string }): string {
  return `${field} holds ${FLAW_WORDS[found.flaw]} (${found.codePoint})`;
}

/**
 * The text a command may record: flawless, in NFC, surrounding whitespace
 * trimmed and inner runs of spaces collapsed to one. Throws INVALID_TEXT
 * (naming the field, the flaw and its code point, never the text) for a flaw,
 * REQUIRED_FIELD when blank, INVALID_FIELD when longer than `maxLength`.
 */
export function parseText(value: unknown, field: string, maxLength: number): string {
  if (typeof value !== 'string') throw new DomainError('REQUIRED_FIELD', `${field} is required`, { field });
  const found = findTextFlaw(value);
  if (found !== undefined) {
    throw new DomainError('INVALID_TEXT', describeTextFlaw(field, found), {
      field,
      reason: found.flaw,
      codePoint: found.codePoint,
    });
  }
  const text = (PRINTABLE_ASCII.test(value) ? value : value.normalize('NFC')).trim().replace(/\s+/g, ' ');
  if (text === '') throw new DomainError('REQUIRED_FIELD', `${field} is required`, { field });
  if (text.length > maxLength) throw new DomainError('INVALID_FIELD', `${field} is longer than ${maxLength} characters`, { field });
  return text;
}

/**
 * Text as readers show it, whatever the log holds (events recorded before the
 * rule above, or written into the store by other means): NFC, every flaw
 * replaced by U+FFFD so that something visibly stands where it was. Total:
 * it never throws, and clean text comes back unchanged.
 */
export function displayText(text: string): string {
  if (PRINTABLE_ASCII.test(text)) return text;
  const repaired = FLAWED.test(text) ? text.replace(FLAWED_GLOBAL, '\uFFFD') : text;
  return repaired.normalize('NFC');
}
