import { ensureInput, VerifiableLogError } from '../verifiable-log.error';
import { decodeBase64Strict, encodeBase64 } from '../encoding/strict-base64.codec';
import { hasControlCharacter, isWellFormedText } from '../encoding/note-text.rules';
import { isHash } from '../merkle/tree.hashing';
import { isTreeSize } from '../merkle/tree.math';
import { isValidKeyName, NoteSignerKey, NoteVerifierKey } from '../note/note-key.codec';
import { MAX_NOTE_BYTES, openNote, OpenedNote, signNote } from '../note/signed-note.codec';

/**
 * C2SP checkpoints (https://c2sp.org/tlog-checkpoint): the text of a signed
 * note that states a tree head,
 *
 *   <origin>\n<tree size>\n<base64 root hash>\n[<extension line>\n]*
 *
 * read strictly, so that one tree head has one spelling and a signature
 * cannot be carried over to a look-alike text.
 */
export interface Checkpoint {
  /** The log's identity, e.g. "ledger.example.gob.mx/log"; by convention also the name of the key that signs. */
  readonly origin: string;
  readonly treeSize: number;
  readonly rootHash: Buffer;
  /** Opaque extra lines (the spec advises against them: monitors cannot audit them). */
  readonly extensionLines: readonly string[];
}

const TREE_SIZE_TEXT = /^(?:0|[1-9][0-9]{0,15})$/;

function isLine(text: unknown): text is string {
  return typeof text === 'string' && text.length > 0 && !hasControlCharacter(text) && isWellFormedText(text);
}

function malformed(why: string): VerifiableLogError {
  return new VerifiableLogError('MALFORMED_CHECKPOINT', `not a checkpoint: ${why}`);
}

/**
 * The checkpoint's note text. The origin must also be a valid key name (no
 * spaces, no plus): the spec only recommends it, but this log signs with a
 * key named like its origin, so it holds its own origins to that.
 */
export function formatCheckpoint(checkpoint: Checkpoint): string {
  const { origin, treeSize, rootHash, extensionLines } = checkpoint;
  ensureInput(isValidKeyName(origin), 'MALFORMED_CHECKPOINT', 'the origin must be non-empty, without spaces, plus signs or control characters');
  ensureInput(isTreeSize(treeSize), 'INVALID_TREE_SIZE', `a tree size is an integer from 0 to 2^53 - 1, got ${String(treeSize)}`);
  ensureInput(isHash(rootHash), 'INVALID_HASH', 'the root hash is 32 bytes');
  ensureInput(Array.isArray(extensionLines) && extensionLines.every(isLine), 'MALFORMED_CHECKPOINT', 'extension lines are non-empty, without control characters');
  return [origin, String(treeSize), encodeBase64(rootHash), ...extensionLines].map((line) => `${line}\n`).join('');
}

/**
 * Reads a checkpoint's note text: at least three non-empty lines, each
 * ending in a newline; the origin any non-empty line (clients must not assume
 * more, per the spec); the size in decimal without leading zeros, below 2^53;
 * the root canonical base64 of exactly 32 bytes; extension lines non-empty.
 */
export function parseCheckpoint(text: string): Checkpoint {
  if (typeof text !== 'string' || text.length > MAX_NOTE_BYTES) throw malformed('not text of a note’s size');
  if (!text.endsWith('\n')) throw malformed('the text does not end in a newline');
  const lines = text.slice(0, -1).split('\n');
  if (lines.length < 3) throw malformed('fewer than three lines');
  if (!lines.every(isLine)) throw malformed('an empty line, or a control character');
  const [origin, treeSizeText, rootText, ...extensionLines] = lines;
  if (!TREE_SIZE_TEXT.test(treeSizeText) || !isTreeSize(Number(treeSizeText))) throw malformed('the tree size is not a decimal from 0 to 2^53 - 1 without leading zeros');
  const rootHash = decodeBase64Strict(rootText);
  if (rootHash === undefined || !isHash(rootHash)) throw malformed('the root hash is not canonical base64 of 32 bytes');
  return { origin, treeSize: Number(treeSizeText), rootHash, extensionLines };
}

/** The signed checkpoint note: formatCheckpoint, then signNote with each key. */
export function signCheckpoint(checkpoint: Checkpoint, signers: readonly NoteSignerKey[]): string {
  return signNote(formatCheckpoint(checkpoint), signers);
}

export interface OpenedCheckpoint {
  readonly checkpoint: Checkpoint;
  readonly note: OpenedNote;
}

/**
 * Opens a signed checkpoint as a client must: signed by a trusted key (see
 * openNote for what is refused), then read strictly, then from the origin
 * the client expects (ORIGIN_MISMATCH otherwise: a signature by the right key
 * over another log's checkpoint proves nothing about this log).
 */
export function openCheckpoint(signedCheckpoint: string | Uint8Array, expected: { readonly origin: string; readonly verifiers: readonly NoteVerifierKey[] }): OpenedCheckpoint {
  const note = openNote(signedCheckpoint, expected.verifiers);
  const checkpoint = parseCheckpoint(note.text);
  ensureInput(checkpoint.origin === expected.origin, 'ORIGIN_MISMATCH', `the checkpoint is of ${JSON.stringify(checkpoint.origin)}, not ${JSON.stringify(expected.origin)}`);
  return { checkpoint, note };
}
