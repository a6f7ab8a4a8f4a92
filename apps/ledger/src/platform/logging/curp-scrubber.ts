/**
 * A CURP-shaped run of characters (18: four letters, six digits, H/M/X, five
 * letters, one letter or digit, one digit). Matching the shape rather than
 * valid CURPs errs on the side of hiding too much.
 */
const CURP_SHAPE = /[A-Z][AEIOUX][A-Z]{2}\d{6}[HMX][A-Z]{5}[0-9A-Z]\d/gi;

/** Replaces anything shaped like a CURP with a marker: the last line of defence for logs. */
export function scrubCurps(text: string): string {
  return text.replace(CURP_SHAPE, '[CURP]');
}
