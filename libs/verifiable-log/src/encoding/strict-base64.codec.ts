/**
 * Standard base64 (RFC 4648 §4) read strictly: padded, no whitespace, nothing
 * outside the alphabet, and zero bits where the last character has spare
 * ones. Node's own decoder skips what it does not understand, so "Zm9v\n" and
 * "Zm9v!" would read as "foo"; a signed format must have one spelling per value.
 */
const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

/** The bytes `text` encodes, or undefined when it is not canonical standard base64. */
export function decodeBase64Strict(text: string): Buffer | undefined {
  if (typeof text !== 'string' || !BASE64.test(text)) return undefined;
  const bytes = Buffer.from(text, 'base64');
  return bytes.toString('base64') === text ? bytes : undefined;
}

export function encodeBase64(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64');
}
