import { createCipheriv, createDecipheriv, createHash, hkdfSync, randomBytes } from 'node:crypto';

/**
 * AES-256-GCM for personal data, with node:crypto only. Two layers:
 *
 * - a data key per subject encrypts the personal fields of that subject's
 *   events; the associated data binds the ciphertext to the stream, the
 *   event's revision, its type and the key id, so a sealed value copied
 *   into another event, stream or position does not open;
 * - the master key (from the ledger's secrets) wraps each data key for the
 *   key store, bound to the subject and the key id.
 *
 * Destroying a subject's wrapped data key makes every sealed value of that
 * subject unreadable for good: nothing else holds the key.
 */

export const DATA_KEY_BYTES = 32;
const IV_BYTES = 12;
const TAG_BYTES = 16;
/** The format of a sealed value: a reader that meets another refuses it rather than guesses. */
export const SEALED_FORMAT = 'A256GCM/1';
const SEALED_CONTEXT = 'certification-ledger personal data v1';
const WRAP_CONTEXT = 'certification-ledger data key v1';

/** Where a sealed value belongs: what its associated data binds. */
export interface SealBinding {
  readonly streamId: string;
  readonly revision: bigint;
  readonly type: string;
  readonly keyId: string;
}

/** What an event stores instead of its personal fields. Strings only, so any store keeps it byte for byte. */
export interface SealedPersonalData {
  readonly format: typeof SEALED_FORMAT;
  readonly keyId: string;
  /** base64url, 12 bytes. */
  readonly iv: string;
  /** base64url of the ciphertext followed by the 16-byte GCM tag. */
  readonly ciphertext: string;
}

export class UnreadableSealError extends Error {
  constructor(reason: string) {
    super(`sealed personal data cannot be opened: ${reason}`);
    this.name = 'UnreadableSealError';
  }
}

export function newDataKey(): Buffer {
  return randomBytes(DATA_KEY_BYTES);
}

/** A key id: random, so that it says nothing about the subject; 128 bits in hex. */
export function newKeyId(): string {
  return randomBytes(16).toString('hex');
}

function associatedData(binding: SealBinding): Buffer {
  // Newline-separated: none of the parts can hold a newline (stream names, decimal revisions, type names, hex ids).
  return Buffer.from(`${SEALED_CONTEXT}\n${binding.streamId}\n${binding.revision.toString()}\n${binding.type}\n${binding.keyId}`, 'utf8');
}

export function sealPersonalData(fields: Readonly<Record<string, unknown>>, dataKey: Buffer, binding: SealBinding): SealedPersonalData {
  assertKey(dataKey);
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv('aes-256-gcm', dataKey, iv, { authTagLength: TAG_BYTES });
  cipher.setAAD(associatedData(binding));
  const ciphertext = Buffer.concat([cipher.update(JSON.stringify(fields), 'utf8'), cipher.final(), cipher.getAuthTag()]);
  return { format: SEALED_FORMAT, keyId: binding.keyId, iv: iv.toString('base64url'), ciphertext: ciphertext.toString('base64url') };
}

/** The fields sealed under `binding`; throws UnreadableSealError when the key, the binding or the bytes are not the ones sealed. */
export function openPersonalData(sealed: SealedPersonalData, dataKey: Buffer, binding: SealBinding): Record<string, unknown> {
  if (sealed.keyId !== binding.keyId) throw new UnreadableSealError('the key id is not the one bound');
  const plain = decrypt(dataKey, sealed.iv, sealed.ciphertext, associatedData(binding));
  const fields: unknown = JSON.parse(plain.toString('utf8'));
  if (fields === null || typeof fields !== 'object' || Array.isArray(fields)) throw new UnreadableSealError('the sealed value is not an object');
  return fields as Record<string, unknown>;
}

/** A sealed value as found in stored data, or undefined when the value does not have that shape. */
export function asSealed(value: unknown): SealedPersonalData | undefined {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return undefined;
  const { format, keyId, iv, ciphertext } = value as Record<string, unknown>;
  if (format !== SEALED_FORMAT || typeof keyId !== 'string' || typeof iv !== 'string' || typeof ciphertext !== 'string') return undefined;
  return { format, keyId, iv, ciphertext };
}

/** The master key that wraps data keys, derived from the configured secret, and an id that tells master keys apart without revealing them. */
export interface MasterKey {
  readonly key: Buffer;
  /** 16 hex digits of SHA-256 over the derived key: recorded beside each wrapped key, so a ledger started with another master key is caught. */
  readonly id: string;
}

export function masterKeyOf(secret: string): MasterKey {
  const key = Buffer.from(hkdfSync('sha256', Buffer.from(secret, 'utf8'), Buffer.alloc(0), Buffer.from(WRAP_CONTEXT, 'utf8'), DATA_KEY_BYTES));
  return { key, id: createHash('sha256').update(key).digest('hex').slice(0, 16) };
}

export interface WrapBinding {
  readonly subjectId: string;
  readonly keyId: string;
}

function wrapAssociatedData(binding: WrapBinding): Buffer {
  return Buffer.from(`${WRAP_CONTEXT}\n${binding.subjectId}\n${binding.keyId}`, 'utf8');
}

/** The data key encrypted under the master key: 12-byte IV ‖ ciphertext ‖ 16-byte tag. */
export function wrapDataKey(master: MasterKey, dataKey: Buffer, binding: WrapBinding): Buffer {
  assertKey(dataKey);
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv('aes-256-gcm', master.key, iv, { authTagLength: TAG_BYTES });
  cipher.setAAD(wrapAssociatedData(binding));
  return Buffer.concat([iv, cipher.update(dataKey), cipher.final(), cipher.getAuthTag()]);
}

export function unwrapDataKey(master: MasterKey, wrapped: Buffer, binding: WrapBinding): Buffer {
  if (wrapped.length !== IV_BYTES + DATA_KEY_BYTES + TAG_BYTES) throw new UnreadableSealError('a wrapped data key has the wrong length');
  const iv = wrapped.subarray(0, IV_BYTES);
  const body = wrapped.subarray(IV_BYTES);
  return decrypt(master.key, iv.toString('base64url'), body.toString('base64url'), wrapAssociatedData(binding));
}

function decrypt(key: Buffer, ivText: string, bodyText: string, aad: Buffer): Buffer {
  assertKey(key);
  const iv = Buffer.from(ivText, 'base64url');
  const body = Buffer.from(bodyText, 'base64url');
  if (iv.length !== IV_BYTES || body.length < TAG_BYTES) throw new UnreadableSealError('the IV or the ciphertext has the wrong length');
  const decipher = createDecipheriv('aes-256-gcm', key, iv, { authTagLength: TAG_BYTES });
  decipher.setAAD(aad);
  decipher.setAuthTag(body.subarray(body.length - TAG_BYTES));
  try {
    return Buffer.concat([decipher.update(body.subarray(0, body.length - TAG_BYTES)), decipher.final()]);
  } catch {
    throw new UnreadableSealError('authentication failed (another key, another place, or altered bytes)');
  }
}

function assertKey(key: Buffer): void {
  if (key.length !== DATA_KEY_BYTES) throw new RangeError(`an AES-256 key is ${DATA_KEY_BYTES} bytes, got ${key.length}`);
}
