/**
 * Base58 with the Bitcoin alphabet, and its multibase form (`z` followed by
 * the base58btc text), as did:key identifiers and Data Integrity proof values
 * spell bytes (https://www.w3.org/TR/controller-document/#multibase-0). Each
 * leading zero byte is one leading '1'; the rest is the big-endian number
 * written in base 58. The inputs here are tens of bytes (a key, a signature),
 * so the quadratic schoolbook conversion is the simplest correct one.
 */
const ALPHABET = '123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz';
const DIGIT_OF: ReadonlyMap<string, number> = new Map([...ALPHABET].map((character, digit) => [character, digit]));

/** The multibase prefix of base58btc. */
export const MULTIBASE_BASE58BTC_PREFIX = 'z';

/** Our bound on what these codecs read: a proof value or a key is far shorter; a megabyte of '1's is not read. */
const MAX_BASE58_LENGTH = 256;

export function encodeBase58btc(bytes: Uint8Array): string {
  let zeros = 0;
  while (zeros < bytes.length && bytes[zeros] === 0) zeros += 1;
  // Base-58 digits, least significant first.
  const digits: number[] = [];
  for (let index = zeros; index < bytes.length; index += 1) {
    let carry = bytes[index];
    for (let position = 0; position < digits.length; position += 1) {
      carry += digits[position] * 256;
      digits[position] = carry % 58;
      carry = Math.floor(carry / 58);
    }
    while (carry > 0) {
      digits.push(carry % 58);
      carry = Math.floor(carry / 58);
    }
  }
  return '1'.repeat(zeros) + digits.reverse().map((digit) => ALPHABET[digit]).join('');
}

/** The bytes `text` spells in base58btc, or undefined when it holds a character outside the alphabet (or is too long). */
export function decodeBase58btc(text: string): Buffer | undefined {
  if (typeof text !== 'string' || text.length > MAX_BASE58_LENGTH) return undefined;
  let zeros = 0;
  while (zeros < text.length && text[zeros] === '1') zeros += 1;
  // Bytes, least significant first.
  const bytes: number[] = [];
  for (let index = zeros; index < text.length; index += 1) {
    const digit = DIGIT_OF.get(text[index]);
    if (digit === undefined) return undefined;
    let carry = digit;
    for (let position = 0; position < bytes.length; position += 1) {
      carry += bytes[position] * 58;
      bytes[position] = carry & 0xff;
      carry >>= 8;
    }
    while (carry > 0) {
      bytes.push(carry & 0xff);
      carry >>= 8;
    }
  }
  return Buffer.concat([Buffer.alloc(zeros), Buffer.from(bytes.reverse())]);
}

export function encodeMultibaseBase58btc(bytes: Uint8Array): string {
  return MULTIBASE_BASE58BTC_PREFIX + encodeBase58btc(bytes);
}

/** The bytes of a multibase base58btc text (`z…`), or undefined when it is not one. */
export function decodeMultibaseBase58btc(text: string): Buffer | undefined {
  if (typeof text !== 'string' || !text.startsWith(MULTIBASE_BASE58BTC_PREFIX)) return undefined;
  return decodeBase58btc(text.slice(MULTIBASE_BASE58BTC_PREFIX.length));
}
