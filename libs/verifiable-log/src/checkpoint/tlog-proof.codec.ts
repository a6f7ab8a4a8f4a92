import { ensureInput, VerifiableLogError } from '../verifiable-log.error';
import { decodeBase64Strict, encodeBase64 } from '../encoding/strict-base64.codec';
import { isHash } from '../merkle/tree.hashing';
import { isTreeSize } from '../merkle/tree.math';
import { MAX_PROOF_HASHES, verifyInclusion } from '../merkle/proof.verifier';
import { NoteVerifierKey } from '../note/note-key.codec';
import { MAX_NOTE_BYTES, OpenedNote, parseSignedNote } from '../note/signed-note.codec';
import { Checkpoint, openCheckpoint, parseCheckpoint } from './checkpoint.codec';

/**
 * c2sp.org/tlog-proof@v1 (https://c2sp.org/tlog-proof): an inclusion proof
 * that travels on its own and verifies offline,
 *
 *   c2sp.org/tlog-proof@v1
 *   [extra <base64>]
 *   index <leaf index>
 *   <base64 proof hash>            (zero or more, leaf's sibling first)
 *   <blank line>
 *   <the signed checkpoint, verbatim>
 */
export interface TlogProof {
  /** Opaque, unauthenticated application data; absent when the proof has no `extra` line. */
  readonly extra?: Buffer;
  readonly leafIndex: number;
  /** RFC 9162 inclusion path in the checkpoint's tree, from the leaf's sibling up. */
  readonly inclusionProof: readonly Buffer[];
  /** The signed checkpoint note, exactly as the log served it. */
  readonly signedCheckpoint: string;
}

export const TLOG_PROOF_HEADER = 'c2sp.org/tlog-proof@v1';
const INDEX_TEXT = /^index (0|[1-9][0-9]{0,15})$/;
const EXTRA_PREFIX = 'extra ';

function malformed(why: string): VerifiableLogError {
  return new VerifiableLogError('MALFORMED_TLOG_PROOF', `not a c2sp.org/tlog-proof@v1 proof: ${why}`);
}

export function formatTlogProof(proof: TlogProof): string {
  const { extra, leafIndex, inclusionProof, signedCheckpoint } = proof;
  ensureInput(extra === undefined || extra instanceof Uint8Array, 'MALFORMED_TLOG_PROOF', 'extra data is bytes');
  ensureInput(isTreeSize(leafIndex), 'INDEX_OUT_OF_RANGE', `a leaf index is an integer from 0 to 2^53 - 1, got ${String(leafIndex)}`);
  ensureInput(Array.isArray(inclusionProof) && inclusionProof.length <= MAX_PROOF_HASHES && inclusionProof.every(isHash), 'INVALID_HASH', 'the inclusion proof is at most 64 hashes of 32 bytes');
  // Read back to refuse, at the source, a bundle no client could read.
  parseCheckpoint(parseSignedNote(signedCheckpoint).text);
  const lines = [TLOG_PROOF_HEADER, ...(extra === undefined ? [] : [`${EXTRA_PREFIX}${encodeBase64(extra)}`]), `index ${leafIndex}`, ...inclusionProof.map(encodeBase64)];
  return `${lines.join('\n')}\n\n${signedCheckpoint}`;
}

/** Reads a proof strictly; the checkpoint is checked for syntax only here (verifyTlogProof checks its signature). */
export function parseTlogProof(text: string): TlogProof {
  if (typeof text !== 'string' || text.length > 2 * MAX_NOTE_BYTES) throw malformed('not text of a proof’s size');
  const blank = text.indexOf('\n\n');
  if (blank < 0) throw malformed('no blank line before the checkpoint');
  const lines = text.slice(0, blank).split('\n');
  const signedCheckpoint = text.slice(blank + 2);
  if (lines[0] !== TLOG_PROOF_HEADER) throw malformed(`the first line is not ${TLOG_PROOF_HEADER}`);
  let next = 1;
  let extra: Buffer | undefined;
  if (lines[next]?.startsWith(EXTRA_PREFIX)) {
    extra = decodeBase64Strict(lines[next].slice(EXTRA_PREFIX.length));
    if (extra === undefined) throw malformed('the extra data is not canonical base64');
    next += 1;
  }
  const index = INDEX_TEXT.exec(lines[next] ?? '');
  if (index === null || !isTreeSize(Number(index[1]))) throw malformed('no index line with a decimal from 0 to 2^53 - 1 without leading zeros');
  const hashLines = lines.slice(next + 1);
  if (hashLines.length > MAX_PROOF_HASHES) throw malformed(`more than ${MAX_PROOF_HASHES} proof hashes`);
  const inclusionProof = hashLines.map((line, position) => {
    const proofHash = decodeBase64Strict(line);
    if (proofHash === undefined || !isHash(proofHash)) throw malformed(`proof line ${position + 1} is not canonical base64 of 32 bytes`);
    return proofHash;
  });
  try {
    parseCheckpoint(parseSignedNote(signedCheckpoint).text);
  } catch (error) {
    throw malformed(`the checkpoint does not read: ${(error as Error).message}`);
  }
  return { ...(extra === undefined ? {} : { extra }), leafIndex: Number(index[1]), inclusionProof, signedCheckpoint };
}

export interface VerifiedTlogProof {
  readonly proof: TlogProof;
  readonly checkpoint: Checkpoint;
  readonly note: OpenedNote;
}

/**
 * The tlog-proof check of the spec, steps 2 and 4: the checkpoint is from the
 * expected origin and signed by a trusted key, and the proof binds the leaf
 * hash (step 1, computed by the caller from the entry) to its root.
 * Witness cosignatures (step 3) are kept as unknown signatures; policy on
 * them is the caller's. Throws INCLUSION_NOT_PROVEN with the reason otherwise.
 */
export function verifyTlogProof(
  proofText: string,
  expected: { readonly leafHash: Uint8Array; readonly origin: string; readonly verifiers: readonly NoteVerifierKey[] },
): VerifiedTlogProof {
  const proof = parseTlogProof(proofText);
  const { checkpoint, note } = openCheckpoint(proof.signedCheckpoint, expected);
  const verdict = verifyInclusion({
    leafIndex: proof.leafIndex,
    treeSize: checkpoint.treeSize,
    leafHash: expected.leafHash,
    proof: proof.inclusionProof,
    rootHash: checkpoint.rootHash,
  });
  if (!verdict.valid) throw new VerifiableLogError('INCLUSION_NOT_PROVEN', verdict.message, { reason: verdict.reason });
  return { proof, checkpoint, note };
}
