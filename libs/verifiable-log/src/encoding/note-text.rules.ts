/**
 * The character rules signed notes set for every byte of a note (and that
 * checkpoints and key names inherit): valid UTF-8, which for a JavaScript
 * string means no unpaired surrogate, and no ASCII control character but
 * newline.
 */
const LONE_SURROGATE = /\p{Cs}/u;
const CONTROL_CHARACTER = /[\u0000-\u001f]/;
const CONTROL_OTHER_THAN_NEWLINE = /[\u0000-\u0009\u000b-\u001f]/;

/** Whether the string encodes to UTF-8 as it is (Buffer.from would silently turn a lone surrogate into U+FFFD). */
export function isWellFormedText(text: string): boolean {
  return !LONE_SURROGATE.test(text);
}

export function hasControlCharacter(text: string): boolean {
  return CONTROL_CHARACTER.test(text);
}

export function hasControlOtherThanNewline(text: string): boolean {
  return CONTROL_OTHER_THAN_NEWLINE.test(text);
}
