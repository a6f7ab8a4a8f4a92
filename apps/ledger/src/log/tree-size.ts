import { MAX_TREE_SIZE } from '@ledger/verifiable-log';

/**
 * A tree size in a query string or a path, as the log routes read it (and
 * the inclusion proofs' fast path, which must accept exactly what the
 * controller's validation accepts). Apart from log.dto.ts, which re-exports
 * it, so that reading one needs no NestJS.
 */
const TREE_SIZE_TEXT = /^(0|[1-9][0-9]{0,15})$/;
export const TREE_SIZE_MESSAGE = `must be a tree size: a decimal integer from 0 to ${MAX_TREE_SIZE}, without sign, spaces or leading zeros`;
export const TREE_SIZE_SCHEMA = { type: 'string', pattern: TREE_SIZE_TEXT.source, example: '1042' } as const;

/** A tree size as text, or null. */
export function parseTreeSize(text: unknown): number | null {
  if (typeof text !== 'string' || !TREE_SIZE_TEXT.test(text)) return null;
  const size = Number(text);
  return size <= MAX_TREE_SIZE ? size : null;
}
