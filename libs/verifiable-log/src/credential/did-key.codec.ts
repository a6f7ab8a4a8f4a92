import { ensureInput } from '../verifiable-log.error';
import { ED25519_KEY_SIZE } from '../note/note-key.codec';
import { decodeMultibaseBase58btc, encodeMultibaseBase58btc } from './base58btc.codec';

/**
 * did:key identifiers of Ed25519 public keys (https://w3c-ccg.github.io/did-key-spec/):
 *
 *   did:key:z<base58btc(0xed 0x01 ‖ 32-byte public key)>
 *
 * 0xed 0x01 is the unsigned-varint multicodec code of ed25519-pub (0xed).
 * The DID names the key and nothing else: its DID document is derived from
 * the identifier alone, with one verification method, `<did>#<multibase key>`,
 * for authentication and assertions, so a verifier needs no network to
 * resolve it.
 */
const DID_KEY_PREFIX = 'did:key:';
const ED25519_PUB_MULTICODEC = Buffer.from([0xed, 0x01]);
/** Our bound on what is read: an Ed25519 did:key verification method is 105 characters. */
const MAX_VERIFICATION_METHOD_LENGTH = 256;

export interface Ed25519DidKey {
  /** `did:key:z6Mk…` */
  readonly did: string;
  /** `did:key:z6Mk…#z6Mk…`: the verification method a proof names. */
  readonly verificationMethod: string;
  /** The multibase key (`z6Mk…`), as a Multikey's publicKeyMultibase spells it. */
  readonly publicKeyMultibase: string;
}

/** The did:key of a 32-byte Ed25519 public key. */
export function ed25519DidKey(publicKey: Uint8Array): Ed25519DidKey {
  ensureInput(publicKey instanceof Uint8Array && publicKey.length === ED25519_KEY_SIZE, 'MALFORMED_KEY', 'an Ed25519 public key is 32 bytes');
  const publicKeyMultibase = encodeMultibaseBase58btc(Buffer.concat([ED25519_PUB_MULTICODEC, publicKey]));
  const did = DID_KEY_PREFIX + publicKeyMultibase;
  return { did, verificationMethod: `${did}#${publicKeyMultibase}`, publicKeyMultibase };
}

/**
 * The Ed25519 public key a did:key verification method (`did:key:z…#z…`) or
 * DID names; throws MALFORMED_KEY for anything else (another key type, a
 * fragment that is not the key itself, junk).
 */
export function publicKeyOfDidKey(didOrVerificationMethod: string): Buffer {
  ensureInput(
    typeof didOrVerificationMethod === 'string' && didOrVerificationMethod.length <= MAX_VERIFICATION_METHOD_LENGTH && didOrVerificationMethod.startsWith(DID_KEY_PREFIX),
    'MALFORMED_KEY',
    'not a did:key',
  );
  const [did, fragment, ...rest] = didOrVerificationMethod.split('#');
  const publicKeyMultibase = did.slice(DID_KEY_PREFIX.length);
  ensureInput(rest.length === 0 && (fragment === undefined || fragment === publicKeyMultibase), 'MALFORMED_KEY', 'a did:key verification method is <did>#<the key itself>');
  const bytes = decodeMultibaseBase58btc(publicKeyMultibase);
  ensureInput(
    bytes !== undefined && bytes.length === ED25519_PUB_MULTICODEC.length + ED25519_KEY_SIZE && bytes.subarray(0, 2).equals(ED25519_PUB_MULTICODEC),
    'MALFORMED_KEY',
    'the did:key is not an Ed25519 public key (multibase base58btc of 0xed 0x01 and 32 bytes)',
  );
  return Buffer.from(bytes.subarray(ED25519_PUB_MULTICODEC.length));
}
