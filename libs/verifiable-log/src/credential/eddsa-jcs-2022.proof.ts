import { createHash } from 'node:crypto';
import { canonicalize } from 'json-canonicalize';
import { ensureInput } from '../verifiable-log.error';
import { ED25519_SIGNATURE_SIZE, noteVerifierKey, signMessage, verifyMessage, type NoteSignerKey, type NoteVerifierKey } from '../note/note-key.codec';
import { decodeMultibaseBase58btc, encodeMultibaseBase58btc } from './base58btc.codec';
import { ed25519DidKey, publicKeyOfDidKey } from './did-key.codec';

/**
 * Data Integrity proofs of cryptosuite eddsa-jcs-2022 (W3C Data Integrity
 * EdDSA Cryptosuites v1.0, §3.3), over JSON documents such as a Verifiable
 * Credential:
 *
 *   proof options  = {type: DataIntegrityProof, cryptosuite, created, verificationMethod, proofPurpose, @context of the document}
 *   hash data      = SHA-256(JCS(proof options)) ‖ SHA-256(JCS(document without proof))
 *   proofValue     = multibase base58btc (`z…`) of Ed25519(hash data)
 *
 * JCS is RFC 8785. The verification method is the did:key of the signing key,
 * so a verifier needs nothing but the document and the key it trusts.
 *
 * The same Ed25519 key also signs the log's checkpoints (C2SP signed notes).
 * The two cannot be confused: a note signature covers the note's text, which
 * begins with the log's origin line, while this one covers 64 bytes of two
 * SHA-256 digests, which no one can make begin with that text.
 */
export const DATA_INTEGRITY_PROOF = 'DataIntegrityProof';
export const EDDSA_JCS_2022 = 'eddsa-jcs-2022';

export interface DataIntegrityProof {
  readonly type: typeof DATA_INTEGRITY_PROOF;
  readonly cryptosuite: typeof EDDSA_JCS_2022;
  /** An XML Schema dateTimeStamp: when the proof was made. */
  readonly created: string;
  readonly verificationMethod: string;
  readonly proofPurpose: string;
  /** The document's own @context, so that the proof cannot be moved to a document read with other contexts. */
  readonly '@context'?: unknown;
  readonly proofValue: string;
}

export interface SignOptions {
  /** When the proof is made, a dateTimeStamp with its time zone (`2026-12-01T10:00:00Z`). */
  readonly created: string;
  /** Default `assertionMethod`, the purpose a credential's issuer signs with. */
  readonly proofPurpose?: string;
}

/**
 * XML Schema's dateTimeStamp: a dateTime with a time zone. The shape only;
 * whether it is a real instant is left to Date.
 */
const DATE_TIME_STAMP = /^-?\d{4,}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;

function isDateTimeStamp(value: unknown): value is string {
  return typeof value === 'string' && DATE_TIME_STAMP.test(value) && !Number.isNaN(Date.parse(value));
}

type JsonObject = Record<string, unknown>;

/** The document as JSON carries it: what a verifier will read is what is hashed (no undefined fields, no prototypes). */
function asJson(document: object): JsonObject {
  return JSON.parse(JSON.stringify(document)) as JsonObject;
}

function sha256(text: string): Buffer {
  return createHash('sha256').update(text, 'utf8').digest();
}

/** SHA-256(JCS(proof options)) ‖ SHA-256(JCS(document)), §3.3.4 Hashing. */
function hashData(proofOptions: JsonObject, unsecuredDocument: JsonObject): Buffer {
  return Buffer.concat([sha256(canonicalize(proofOptions)), sha256(canonicalize(unsecuredDocument))]);
}

/**
 * The document with an eddsa-jcs-2022 proof by `key`. The same document, key
 * and `created` give the same bytes every time (Ed25519 signatures are
 * deterministic). A document that already carries a proof is refused: proof
 * sets and chains are not needed here.
 */
export function signWithEddsaJcs2022<T extends object>(document: T, key: NoteSignerKey, options: SignOptions): T & { proof: DataIntegrityProof } {
  const unsecured = asJson(document);
  ensureInput(!('proof' in unsecured), 'INVALID_PROOF_OPTIONS', 'the document already carries a proof');
  ensureInput(isDateTimeStamp(options.created), 'INVALID_PROOF_OPTIONS', 'created must be an XML Schema dateTimeStamp, such as 2026-12-01T10:00:00Z');
  const proofOptions: JsonObject = {
    type: DATA_INTEGRITY_PROOF,
    cryptosuite: EDDSA_JCS_2022,
    created: options.created,
    verificationMethod: ed25519DidKey(key.publicKey).verificationMethod,
    proofPurpose: options.proofPurpose ?? 'assertionMethod',
    ...(unsecured['@context'] === undefined ? {} : { '@context': unsecured['@context'] }),
  };
  const signature = signMessage(key, hashData(proofOptions, unsecured));
  const proof = { ...proofOptions, proofValue: encodeMultibaseBase58btc(signature) } as unknown as DataIntegrityProof;
  return { ...document, proof };
}

export type CredentialProofRejection = 'MALFORMED_PROOF' | 'UNSUPPORTED_CRYPTOSUITE' | 'CONTEXT_MISMATCH' | 'UNTRUSTED_KEY' | 'INVALID_SIGNATURE';

export type CredentialProofVerdict =
  | { readonly valid: true; readonly proof: DataIntegrityProof }
  | { readonly valid: false; readonly reason: CredentialProofRejection; readonly message: string };

function rejected(reason: CredentialProofRejection, message: string): CredentialProofVerdict {
  return { valid: false, reason, message };
}

function contextsOf(value: unknown): unknown[] {
  return Array.isArray(value) ? value : value === undefined ? [] : [value];
}

/** Whether `document`'s @context begins with every context of the proof's, in order (§3.3.2 step 4). */
function startsWithContexts(document: unknown, proof: unknown): boolean {
  const own = contextsOf(document);
  return contextsOf(proof).every((context, index) => index < own.length && canonicalize(own[index]) === canonicalize(context));
}

/**
 * Checks the single eddsa-jcs-2022 proof of `securedDocument` against the
 * Ed25519 `publicKey` the verifier trusts (a proof by any other key is
 * UNTRUSTED_KEY, however well it verifies). Total: anything malformed is a
 * rejection, never an exception.
 */
export function verifyEddsaJcs2022(securedDocument: unknown, publicKey: Uint8Array): CredentialProofVerdict {
  if (typeof securedDocument !== 'object' || securedDocument === null || Array.isArray(securedDocument)) return rejected('MALFORMED_PROOF', 'the document is not a JSON object');
  let json: JsonObject;
  try {
    json = asJson(securedDocument);
  } catch {
    return rejected('MALFORMED_PROOF', 'the document is not JSON');
  }
  const { proof, ...unsecured } = json;
  if (typeof proof !== 'object' || proof === null || Array.isArray(proof)) return rejected('MALFORMED_PROOF', 'the document carries no single proof object');
  const { proofValue, ...proofOptions } = proof as JsonObject;
  if (proofOptions.type !== DATA_INTEGRITY_PROOF || proofOptions.cryptosuite !== EDDSA_JCS_2022) {
    return rejected('UNSUPPORTED_CRYPTOSUITE', `the proof is not a ${DATA_INTEGRITY_PROOF} of cryptosuite ${EDDSA_JCS_2022}`);
  }
  if (!isDateTimeStamp(proofOptions.created)) return rejected('MALFORMED_PROOF', 'the proof has no created dateTimeStamp');
  const signature = typeof proofValue === 'string' ? decodeMultibaseBase58btc(proofValue) : undefined;
  if (signature?.length !== ED25519_SIGNATURE_SIZE) return rejected('MALFORMED_PROOF', 'proofValue is not a multibase base58btc Ed25519 signature');
  if (proofOptions['@context'] !== undefined) {
    if (!startsWithContexts(unsecured['@context'], proofOptions['@context'])) return rejected('CONTEXT_MISMATCH', "the document's @context does not begin with the proof's");
    unsecured['@context'] = proofOptions['@context'];
  }
  const signer = signerOf(proofOptions.verificationMethod);
  if (!signer) return rejected('MALFORMED_PROOF', 'the verification method is not an Ed25519 did:key');
  if (!signer.publicKey.equals(Buffer.from(publicKey))) return rejected('UNTRUSTED_KEY', `the proof is by ${String(proofOptions.verificationMethod)}, not by the key trusted`);
  if (!verifyMessage(signer, hashData(proofOptions, unsecured), signature)) {
    return rejected('INVALID_SIGNATURE', 'the signature does not verify: the document or its proof options were altered, or another key signed');
  }
  return { valid: true, proof: proof as unknown as DataIntegrityProof };
}

/** The key a did:key verification method names, as the note codec verifies with (the name is not part of the check). */
function signerOf(verificationMethod: unknown): NoteVerifierKey | undefined {
  try {
    return noteVerifierKey('did:key', publicKeyOfDidKey(String(verificationMethod)));
  } catch {
    return undefined;
  }
}
