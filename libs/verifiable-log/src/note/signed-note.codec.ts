import { ensureInput, VerifiableLogError } from '../verifiable-log.error';
import { decodeBase64Strict, encodeBase64 } from '../encoding/strict-base64.codec';
import { hasControlOtherThanNewline, isWellFormedText } from '../encoding/note-text.rules';
import { formatKeyId, isValidKeyName, noteKeyFromSeed, NoteSignerKey, NoteVerifierKey, signMessage, verifyMessage } from './note-key.codec';

/**
 * C2SP signed notes (https://c2sp.org/signed-note): a text ending in a
 * newline, a blank line, then one line per signature:
 *
 *   — <key name> <base64(4-byte big-endian key id ‖ signature)>
 *
 * (U+2014 EM DASH, a space, the name, a space). The signature covers the
 * text's UTF-8 bytes, final newline included, blank line excluded.
 */

/** The reference implementation's bound; the spec asks verifiers to accept at least 16. */
export const MAX_NOTE_SIGNATURES = 100;
/** A bound on a whole note: room for 100 post-quantum signatures of 5 kB and a body far larger than a checkpoint. */
export const MAX_NOTE_BYTES = 1024 * 1024;

const SIGNATURE_PREFIX = '\u2014 ';
const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/** One signature line: who signed (name and key id) and the signature bytes after the key id. */
export interface NoteSignature {
  readonly name: string;
  readonly keyId: number;
  readonly signature: Buffer;
}

/** A note read for its syntax only: nothing here is verified. */
export interface SignedNote {
  readonly text: string;
  readonly signatures: readonly NoteSignature[];
}

/** A note whose signatures by known keys all verified; at least one did. */
export interface OpenedNote {
  /** The signed text, final newline included. Trust it only as far as you trust the keys in `verifiedSignatures`. */
  readonly text: string;
  readonly verifiedSignatures: readonly NoteSignature[];
  /** Signatures by keys the caller did not name (witnesses, rotated keys): kept, not checked. */
  readonly unknownSignatures: readonly NoteSignature[];
}

/** A note as text, refusing what the spec forbids anywhere in it: bytes that are not UTF-8 and control characters other than newline. */
function noteAsText(note: string | Uint8Array): string {
  let text: string;
  if (typeof note === 'string') {
    ensureInput(note.length <= MAX_NOTE_BYTES && Buffer.byteLength(note, 'utf8') <= MAX_NOTE_BYTES, 'NOTE_TOO_LARGE', `a note is at most ${MAX_NOTE_BYTES} bytes`);
    ensureInput(isWellFormedText(note), 'MALFORMED_NOTE', 'a note must be valid UTF-8');
    text = note;
  } else {
    ensureInput(note instanceof Uint8Array, 'MALFORMED_NOTE', 'a note is text or its UTF-8 bytes');
    ensureInput(note.length <= MAX_NOTE_BYTES, 'NOTE_TOO_LARGE', `a note is at most ${MAX_NOTE_BYTES} bytes`);
    try {
      text = utf8.decode(note);
    } catch {
      throw new VerifiableLogError('MALFORMED_NOTE', 'a note must be valid UTF-8');
    }
  }
  ensureInput(!hasControlOtherThanNewline(text), 'MALFORMED_NOTE', 'a note holds no control character other than newline');
  return text;
}

function parseSignatureLine(line: string, lineNumber: number): NoteSignature {
  const malformed = (why: string) => new VerifiableLogError('MALFORMED_NOTE', `signature line ${lineNumber} ${why}`);
  if (!line.startsWith(SIGNATURE_PREFIX)) throw malformed('does not start with an em dash and a space');
  const rest = line.slice(SIGNATURE_PREFIX.length);
  const space = rest.indexOf(' ');
  if (space < 0) throw malformed('has no space between the key name and the signature');
  const name = rest.slice(0, space);
  const signed = decodeBase64Strict(rest.slice(space + 1));
  if (!isValidKeyName(name)) throw malformed('has an invalid key name');
  if (signed === undefined || signed.length < 5) throw malformed('does not hold a key id and a signature in base64');
  return { name, keyId: signed.readUInt32BE(0), signature: Buffer.from(signed.subarray(4)) };
}

/**
 * Splits a note into its text and signature lines, checking syntax only. The
 * text ends at the last blank line, so the text itself may hold blank lines.
 */
export function parseSignedNote(note: string | Uint8Array): SignedNote {
  const whole = noteAsText(note);
  const split = whole.lastIndexOf('\n\n');
  ensureInput(split >= 0, 'MALFORMED_NOTE', 'a signed note needs a blank line before its signatures');
  const block = whole.slice(split + 2);
  ensureInput(block.length > 0 && block.endsWith('\n'), 'MALFORMED_NOTE', 'a signed note ends with signature lines, each ending in a newline');
  const lines = block.slice(0, -1).split('\n');
  ensureInput(lines.length <= MAX_NOTE_SIGNATURES, 'TOO_MANY_SIGNATURES', `a note carries at most ${MAX_NOTE_SIGNATURES} signatures`);
  return { text: whole.slice(0, split + 1), signatures: lines.map((line, position) => parseSignatureLine(line, position + 1)) };
}

function verifierIndex(verifiers: readonly NoteVerifierKey[]): Map<string, NoteVerifierKey> {
  ensureInput(Array.isArray(verifiers), 'MALFORMED_KEY', 'verifiers must be an array of verifier keys');
  const index = new Map<string, NoteVerifierKey>();
  for (const verifier of verifiers) {
    const key = `${verifier.name}+${formatKeyId(verifier.keyId)}`;
    ensureInput(!index.has(key), 'AMBIGUOUS_VERIFIER', `two verifier keys are named ${key}`);
    index.set(key, verifier);
  }
  return index;
}

/**
 * Opens a signed note with the keys the caller trusts. Signatures by other
 * keys are kept unchecked, even when they share a name or an id (not both)
 * with a trusted key. Every signature by a trusted key is checked, and one
 * that fails refuses the whole note (INVALID_SIGNATURE): stricter than Go,
 * which checks only the first signature per key. A note no trusted key
 * signed is refused (UNVERIFIED_NOTE). Identical lines count once.
 */
export function openNote(note: string | Uint8Array, verifiers: readonly NoteVerifierKey[]): OpenedNote {
  const trusted = verifierIndex(verifiers);
  const { text, signatures } = parseSignedNote(note);
  const message = Buffer.from(text, 'utf8');
  const seen = new Set<string>();
  const verifiedSignatures: NoteSignature[] = [];
  const unknownSignatures: NoteSignature[] = [];
  for (const signature of signatures) {
    const line = formatSignatureLine(signature);
    if (seen.has(line)) continue;
    seen.add(line);
    const signer = `${signature.name}+${formatKeyId(signature.keyId)}`;
    const verifier = trusted.get(signer);
    if (verifier === undefined) {
      unknownSignatures.push(signature);
      continue;
    }
    ensureInput(verifyMessage(verifier, message, signature.signature), 'INVALID_SIGNATURE', `the signature by ${signer} does not verify`);
    verifiedSignatures.push(signature);
  }
  ensureInput(verifiedSignatures.length > 0, 'UNVERIFIED_NOTE', 'no trusted key signed the note', {
    signers: unknownSignatures.map((signature) => `${signature.name}+${formatKeyId(signature.keyId)}`),
  });
  return { text, verifiedSignatures, unknownSignatures };
}

export function formatSignatureLine(signature: NoteSignature): string {
  const signed = Buffer.alloc(4 + signature.signature.length);
  signed.writeUInt32BE(signature.keyId, 0);
  signed.set(signature.signature, 4);
  return `${SIGNATURE_PREFIX}${signature.name} ${encodeBase64(signed)}`;
}

/**
 * Signs `text` (which must end in a newline) with each signer key, in order,
 * and returns the signed note. Ed25519 is deterministic: the same text and
 * key always give the same bytes.
 */
export function signNote(text: string, signers: readonly NoteSignerKey[]): string {
  ensureInput(typeof text === 'string' && text.endsWith('\n'), 'MALFORMED_NOTE', 'a note text ends in a newline');
  noteAsText(text);
  ensureInput(Array.isArray(signers) && signers.length > 0, 'MALFORMED_KEY', 'a note needs at least one signer');
  ensureInput(signers.length <= MAX_NOTE_SIGNATURES, 'TOO_MANY_SIGNATURES', `a note carries at most ${MAX_NOTE_SIGNATURES} signatures`);
  const message = Buffer.from(text, 'utf8');
  const lines = signers.map((signer) => {
    // Derived again from the seed, so a signer key assembled by hand cannot sign under an id that is not its own.
    const derived = noteKeyFromSeed(signer.name, signer.seed);
    ensureInput(derived.keyId === signer.keyId, 'KEY_ID_MISMATCH', `the signer key's id ${formatKeyId(signer.keyId)} is not the id of its seed`);
    return formatSignatureLine({ name: derived.name, keyId: derived.keyId, signature: signMessage(derived, message) });
  });
  const signed = `${text}\n${lines.join('\n')}\n`;
  ensureInput(Buffer.byteLength(signed, 'utf8') <= MAX_NOTE_BYTES, 'NOTE_TOO_LARGE', `a note is at most ${MAX_NOTE_BYTES} bytes`);
  return signed;
}
