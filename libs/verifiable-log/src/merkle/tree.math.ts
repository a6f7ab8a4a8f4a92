/**
 * Integer arithmetic on tree sizes and indices as JavaScript numbers.
 *
 * Sizes stay below 2^53 (the ledger will not log nine quadrillion events), so
 * every value here is an exact safe integer. JavaScript's bitwise operators cut
 * numbers to 32 bits, so nothing here uses them on sizes: halving is
 * `Math.floor(x / 2)`, the low bit is `x % 2`, both exact on safe integers.
 */

/** The largest tree size (and leaf count) the library accepts: 2^53 - 1. */
export const MAX_TREE_SIZE = Number.MAX_SAFE_INTEGER;

export function isTreeSize(value: unknown): value is number {
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= 0;
}

export function isOdd(value: number): boolean {
  return value % 2 === 1;
}

export function half(value: number): number {
  return Math.floor(value / 2);
}

export function isPowerOfTwo(value: number): boolean {
  if (value < 1) return false;
  let rest = value;
  while (rest % 2 === 0) rest /= 2;
  return rest === 1;
}

/**
 * The largest power of two that is at most `value` (value ≥ 1), with its
 * exponent. Math.log2 only gives a first guess: near 2^53 it rounds, so the
 * guess is corrected both ways.
 */
export function largestPowerOfTwoAtMost(value: number): { readonly power: number; readonly exponent: number } {
  let exponent = Math.floor(Math.log2(value));
  let power = 2 ** exponent;
  while (power > value) {
    power /= 2;
    exponent -= 1;
  }
  while (power * 2 <= value) {
    power *= 2;
    exponent += 1;
  }
  return { power, exponent };
}

/** RFC 9162's k: the largest power of two strictly smaller than `value` (value ≥ 2). */
export function largestPowerOfTwoBelow(value: number): number {
  return largestPowerOfTwoAtMost(value - 1).power;
}

function popCount32(word: number): number {
  let bits = word - ((word >>> 1) & 0x55555555);
  bits = (bits & 0x33333333) + ((bits >>> 2) & 0x33333333);
  return (((bits + (bits >>> 4)) & 0x0f0f0f0f) * 0x01010101) >>> 24;
}

/** The number of set bits of a safe non-negative integer. */
export function popCount(value: number): number {
  const high = Math.floor(value / 2 ** 32);
  const low = value - high * 2 ** 32;
  return popCount32(high) + popCount32(low);
}

/** How many low bits of `value` are 1 (the subtrees a new leaf completes). */
export function trailingOnes(value: number): number {
  let count = 0;
  let rest = value;
  while (rest % 2 === 1) {
    count += 1;
    rest = (rest - 1) / 2;
  }
  return count;
}
