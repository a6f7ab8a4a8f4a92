import { createHash, createPrivateKey, createPublicKey, KeyObject, randomBytes, sign, verify } from 'node:crypto';
import { ensureInput, VerifiableLogError } from '../verifiable-log.error';
import { decodeBase64Strict, encodeBase64 } from '../encoding/strict-base64.codec';
import { hasControlCharacter, isWellFormedText } from '../encoding/note-text.rules';

/**
 * Ed25519 keys of C2SP signed notes (https://c2sp.org/signed-note), in the
 * text forms Go's golang.org/x/mod/sumdb/note reads and writes:
 *
 *   verifier key  <name>+<hex key id>+<base64(0x01 ‖ 32-byte public key)>
 *   signer key    PRIVATE+KEY+<name>+<hex key id>+<base64(0x01 ‖ 32-byte seed)>
 *
 * The key id is the first four bytes, big-endian, of
 * SHA-256(name ‖ 0x0A ‖ 0x01 ‖ public key): it names the key, it does not
 * authenticate it (anyone can make a key with a given id; the signature
 * still fails).
 */

/** The signature type byte of Ed25519 in signed notes. */
export const ED25519_SIGNATURE_TYPE = 0x01;
export const ED25519_KEY_SIZE = 32;
export const ED25519_SIGNATURE_SIZE = 64;
/** Our bound on key names (the spec sets none); origins such as "ledger.example.gob.mx/log" are far shorter. */
export const MAX_KEY_NAME_BYTES = 256;
const MAX_KEY_TEXT_LENGTH = 1024;
const SIGNER_KEY_PREFIX = 'PRIVATE+KEY+';

/** Who may verify a note's signatures: a name, a key id, and the Ed25519 public key. Plain data; publish it freely. */
export interface NoteVerifierKey {
  readonly name: string;
  readonly keyId: number;
  readonly publicKey: Buffer;
}

/** A signing key: the verifier key's fields plus the Ed25519 seed. Secret: keep it with the ledger's other secrets. */
export interface NoteSignerKey extends NoteVerifierKey {
  readonly seed: Buffer;
}

// DER wrappers that turn raw Ed25519 keys into the PKCS#8 and SPKI forms Node's crypto imports.
const PKCS8_ED25519_PREFIX = Buffer.from('302e020100300506032b657004220420', 'hex');
const SPKI_ED25519_PREFIX = Buffer.from('302a300506032b6570032100', 'hex');

/*
 * Go's unicode.IsSpace, which the reference implementation uses to refuse a
 * name: ASCII tab to carriage return, U+0085, and the Unicode separators
 * (Zs, Zl, Zp). JavaScript's \s differs (it adds U+FEFF, omits U+0085).
 */
const UNICODE_SPACE = /[\t-\r\u0085\p{Z}]/u;

/** A key name: non-empty UTF-8 with no Unicode space, no plus sign and no control character. */
export function isValidKeyName(name: unknown): name is string {
  return (
    typeof name === 'string' &&
    name.length > 0 &&
    !UNICODE_SPACE.test(name) &&
    !name.includes('+') &&
    !hasControlCharacter(name) &&
    isWellFormedText(name)
  );
}

function ensureKeyName(name: string): void {
  ensureInput(isValidKeyName(name), 'INVALID_KEY_NAME', 'a key name must be non-empty, without spaces, plus signs or control characters');
  ensureInput(Buffer.byteLength(name, 'utf8') <= MAX_KEY_NAME_BYTES, 'INVALID_KEY_NAME', `a key name is at most ${MAX_KEY_NAME_BYTES} bytes`);
}

/** SHA-256(name ‖ 0x0A ‖ 0x01 ‖ publicKey)[0:4] as a big-endian uint32. */
export function noteKeyId(name: string, publicKey: Uint8Array): number {
  const digest = createHash('sha256').update(name, 'utf8').update(Buffer.from([0x0a, ED25519_SIGNATURE_TYPE])).update(publicKey).digest();
  return digest.readUInt32BE(0);
}

/** A key id as the eight lowercase hex digits of vkeys. */
export function formatKeyId(keyId: number): string {
  return keyId.toString(16).padStart(8, '0');
}

function privateKeyOf(seed: Uint8Array): KeyObject {
  return createPrivateKey({ key: Buffer.concat([PKCS8_ED25519_PREFIX, seed]), format: 'der', type: 'pkcs8' });
}

function publicKeyObjectOf(publicKey: Uint8Array): KeyObject {
  return createPublicKey({ key: Buffer.concat([SPKI_ED25519_PREFIX, publicKey]), format: 'der', type: 'spki' });
}

/** The signer key of `name` from a 32-byte Ed25519 seed (the public key and key id follow from it). */
export function noteKeyFromSeed(name: string, seed: Uint8Array): NoteSignerKey {
  ensureKeyName(name);
  ensureInput(seed instanceof Uint8Array && seed.length === ED25519_KEY_SIZE, 'MALFORMED_KEY', 'an Ed25519 seed is 32 bytes');
  const spki = createPublicKey(privateKeyOf(seed)).export({ format: 'der', type: 'spki' });
  const publicKey = Buffer.from(spki.subarray(SPKI_ED25519_PREFIX.length));
  return { name, keyId: noteKeyId(name, publicKey), publicKey, seed: Buffer.from(seed) };
}

/** A new random signer key for `name`. */
export function generateNoteKey(name: string): NoteSignerKey {
  return noteKeyFromSeed(name, randomBytes(ED25519_KEY_SIZE));
}

/** The verifier half of a signer key, safe to publish. */
export function verifierKeyOf(signer: NoteSignerKey): NoteVerifierKey {
  return { name: signer.name, keyId: signer.keyId, publicKey: Buffer.from(signer.publicKey) };
}

/** The verifier key of `name` from a raw 32-byte Ed25519 public key. */
export function noteVerifierKey(name: string, publicKey: Uint8Array): NoteVerifierKey {
  ensureKeyName(name);
  ensureInput(publicKey instanceof Uint8Array && publicKey.length === ED25519_KEY_SIZE, 'MALFORMED_KEY', 'an Ed25519 public key is 32 bytes');
  try {
    publicKeyObjectOf(publicKey);
  } catch {
    throw new VerifiableLogError('MALFORMED_KEY', 'not an Ed25519 public key');
  }
  return { name, keyId: noteKeyId(name, publicKey), publicKey: Buffer.from(publicKey) };
}

export function formatVerifierKey(key: NoteVerifierKey): string {
  const verified = noteVerifierKey(key.name, key.publicKey);
  return `${verified.name}+${formatKeyId(verified.keyId)}+${encodeBase64(Buffer.concat([Buffer.from([ED25519_SIGNATURE_TYPE]), verified.publicKey]))}`;
}

export function formatSignerKey(key: NoteSignerKey): string {
  const derived = noteKeyFromSeed(key.name, key.seed);
  return `${SIGNER_KEY_PREFIX}${derived.name}+${formatKeyId(derived.keyId)}+${encodeBase64(Buffer.concat([Buffer.from([ED25519_SIGNATURE_TYPE]), derived.seed]))}`;
}

/** Splits `<name>+<8 hex>+<base64>` (the base64 may itself hold '+') into name, id and the key material after the type byte. */
function splitKeyText(text: string): { name: string; keyId: number; material: Buffer } {
  const firstPlus = text.indexOf('+');
  const secondPlus = text.indexOf('+', firstPlus + 1);
  if (firstPlus < 0 || secondPlus < 0) throw new VerifiableLogError('MALFORMED_KEY', 'a key is <name>+<key id>+<key>');
  const name = text.slice(0, firstPlus);
  const keyIdText = text.slice(firstPlus + 1, secondPlus);
  const keyBytes = decodeBase64Strict(text.slice(secondPlus + 1));
  ensureInput(isValidKeyName(name), 'INVALID_KEY_NAME', 'the key name must be non-empty, without spaces, plus signs or control characters');
  ensureInput(/^[0-9a-f]{8}$/.test(keyIdText), 'MALFORMED_KEY', 'the key id is eight lowercase hex digits');
  ensureInput(keyBytes !== undefined && keyBytes.length > 0, 'MALFORMED_KEY', 'the key is not canonical base64');
  ensureInput(keyBytes[0] === ED25519_SIGNATURE_TYPE, 'UNSUPPORTED_KEY_TYPE', `signature type 0x${keyBytes[0].toString(16).padStart(2, '0')} is not Ed25519 (0x01)`);
  ensureInput(keyBytes.length === 1 + ED25519_KEY_SIZE, 'MALFORMED_KEY', 'an Ed25519 key is 32 bytes');
  return { name, keyId: Number.parseInt(keyIdText, 16), material: keyBytes.subarray(1) };
}

/** Reads `<name>+<hex key id>+<base64(0x01 ‖ public key)>`, checking the key id against the name and key. */
export function parseVerifierKey(text: string): NoteVerifierKey {
  ensureInput(typeof text === 'string' && text.length <= MAX_KEY_TEXT_LENGTH, 'MALFORMED_KEY', 'not a verifier key');
  const { name, keyId, material } = splitKeyText(text);
  const key = noteVerifierKey(name, material);
  ensureInput(key.keyId === keyId, 'KEY_ID_MISMATCH', `the key id ${formatKeyId(keyId)} is not the id of ${name}'s key`);
  return key;
}

/** Reads `PRIVATE+KEY+<name>+<hex key id>+<base64(0x01 ‖ seed)>`, checking the key id against the derived public key. */
export function parseSignerKey(text: string): NoteSignerKey {
  ensureInput(typeof text === 'string' && text.length <= MAX_KEY_TEXT_LENGTH && text.startsWith(SIGNER_KEY_PREFIX), 'MALFORMED_KEY', 'not a signer key (PRIVATE+KEY+…)');
  const { name, keyId, material } = splitKeyText(text.slice(SIGNER_KEY_PREFIX.length));
  const key = noteKeyFromSeed(name, material);
  ensureInput(key.keyId === keyId, 'KEY_ID_MISMATCH', `the key id ${formatKeyId(keyId)} is not the id of ${name}'s key`);
  return key;
}

/** The Ed25519 signature (64 bytes) of `message` by the signer key. */
export function signMessage(key: NoteSignerKey, message: Uint8Array): Buffer {
  return sign(null, message, privateKeyOf(key.seed));
}

/** Whether `signature` is the verifier key's Ed25519 signature of `message`; false, never an exception, on anything malformed. */
export function verifyMessage(key: NoteVerifierKey, message: Uint8Array, signature: Uint8Array): boolean {
  if (signature.length !== ED25519_SIGNATURE_SIZE) return false;
  try {
    return verify(null, message, publicKeyObjectOf(key.publicKey), signature);
  } catch {
    return false;
  }
}
