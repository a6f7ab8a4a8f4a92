import { canonicalize } from 'json-canonicalize';
import { decodeBase64Strict, encodeBase64 } from '../encoding/strict-base64.codec';
import { equalHashes, hashLeaf } from '../merkle/tree.hashing';
import { verifyInclusion } from '../merkle/proof.verifier';
import { formatTlogProof, parseTlogProof } from '../checkpoint/tlog-proof.codec';
import { openCheckpoint, type Checkpoint } from '../checkpoint/checkpoint.codec';
import { openNote, signNote } from '../note/signed-note.codec';
import type { NoteSignerKey, NoteVerifierKey } from '../note/note-key.codec';
import { isVerifiableLogError } from '../verifiable-log.error';

/**
 * A certificate that proves itself: the bundle `GET
 * /v1/public/certificates/{folio}/proof` answers and `ledger
 * verify-certificate` checks offline. It holds the log entries that make the
 * certificate (its issuance, the enrollment, the judgment it was issued on,
 * the judging evaluator's accreditation, and its revocation if the log holds
 * one), each with a c2sp.org/tlog-proof@v1 inclusion proof in the tree of one
 * signed checkpoint, and a status statement signed by the log key: the
 * certificate's status as of that checkpoint, and which leaf each entry is.
 *
 * Every byte is bound: the bundle is RFC 8785 canonical JSON (a reformatted
 * file is refused), entries hash to the leaves the proofs prove, and roles,
 * positions and leaf indices are signed in the statement. Entries are events
 * exactly as stored: certification and evaluator streams, which carry opaque
 * subject ids, never a CURP or a name (those live only on person streams).
 */
export const CERTIFICATE_PROOF_FORMAT = 'certification-ledger/certificate-proof@v1';
/** The status statement's first line: never an origin, so a statement can never be read as a checkpoint. */
export const CERTIFICATE_STATUS_HEADER = 'certification-ledger/certificate-status@v1';
export const CERTIFICATE_PROOF_MEDIA_TYPE = 'application/json';
/** Far above any bundle (five entries of a few hundred bytes, five proofs of at most 64 hashes). */
export const MAX_CERTIFICATE_PROOF_BYTES = 512 * 1024;

export const CERTIFICATE_PROOF_ROLES = ['issuance', 'enrollment', 'judgment', 'accreditation', 'revocation'] as const;
export type CertificateProofRole = (typeof CERTIFICATE_PROOF_ROLES)[number];
export type CertificateProofStatus = 'valid' | 'revoked' | 'expired';

/** Which event each role is, as the verifier requires it. */
const ROLE_EVENT_TYPES: Record<CertificateProofRole, string> = {
  issuance: 'CertificateIssued',
  enrollment: 'CandidateEnrolled',
  judgment: 'EvaluationRecorded',
  accreditation: 'EvaluatorAccredited',
  revocation: 'CertificateRevoked',
};

export interface CertificateProofEntry {
  role: CertificateProofRole;
  type: string;
  /** The event's position in the log (a decimal string: EventStoreDB's are past 2^53). */
  position: string;
  leafIndex: number;
  /** The entry's exact bytes (RFC 8785 JSON of the stored envelope), base64. */
  entry: string;
  /** c2sp.org/tlog-proof@v1 of the entry in the bundle's checkpoint. */
  proof: string;
}

export interface CertificateProofBundle {
  format: typeof CERTIFICATE_PROOF_FORMAT;
  folio: string;
  /** The signed checkpoint every proof and the status are of. */
  checkpoint: string;
  entries: CertificateProofEntry[];
  /** The status statement, a signed note by the log key. */
  status: string;
}

export interface StatementEntry {
  readonly role: CertificateProofRole;
  readonly position: string;
  readonly leafIndex: number;
  readonly leafHash: Uint8Array;
}

/** What the log key signs about a certificate. */
export interface CertificateStatusStatement {
  readonly folio: string;
  readonly status: CertificateProofStatus;
  /** The instant the statement was made, to the second: `expired` is as of it. */
  readonly asOf: string;
  readonly treeSize: number;
  readonly rootHash: Uint8Array;
  readonly entries: readonly StatementEntry[];
}

export type CertificateProofErrorCode =
  | 'MALFORMED_BUNDLE'
  | 'NOT_CANONICAL'
  | 'CHECKPOINT_NOT_TRUSTED'
  | 'STATUS_NOT_TRUSTED'
  | 'STATUS_MISMATCH'
  | 'ENTRY_MISMATCH'
  | 'INCLUSION_NOT_PROVEN'
  | 'ENTRIES_DISAGREE';

/** Why a bundle does not prove its certificate. */
export class CertificateProofError extends Error {
  constructor(
    readonly code: CertificateProofErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'CertificateProofError';
  }
}

const fail = (code: CertificateProofErrorCode, message: string): never => {
  throw new CertificateProofError(code, message);
};

const INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/;
const DECIMAL = /^(0|[1-9][0-9]{0,19})$/;
/** Folios are `[A-Z0-9-]`; anything else in a statement line would let one line pass for two. */
const FOLIO_TEXT = /^[A-Za-z0-9-]{1,64}$/;

export function formatStatusStatement(statement: CertificateStatusStatement): string {
  const { folio, status, asOf, treeSize, rootHash, entries } = statement;
  if (!FOLIO_TEXT.test(folio) || !INSTANT.test(asOf) || !Number.isSafeInteger(treeSize)) throw new RangeError('a status statement of a folio, a whole-second instant and a tree size');
  const lines = [
    CERTIFICATE_STATUS_HEADER,
    `folio ${folio}`,
    `status ${status}`,
    `as-of ${asOf}`,
    `tree ${treeSize} ${encodeBase64(rootHash)}`,
    ...entries.map((entry) => `${entry.role} ${entry.position} ${entry.leafIndex} ${encodeBase64(entry.leafHash)}`),
  ];
  return `${lines.join('\n')}\n`;
}

export function signStatusStatement(statement: CertificateStatusStatement, key: NoteSignerKey): string {
  return signNote(formatStatusStatement(statement), [key]);
}

/** Reads a statement's text strictly (the signature is the caller's to check). */
export function parseStatusStatement(text: string): CertificateStatusStatement {
  const bad = (why: string) => fail('STATUS_MISMATCH', `the status statement ${why}`);
  if (!text.endsWith('\n')) bad('does not end with a newline');
  const lines = text.slice(0, -1).split('\n');
  if (lines[0] !== CERTIFICATE_STATUS_HEADER) bad(`does not begin ${CERTIFICATE_STATUS_HEADER}`);
  const field = (index: number, name: string, pattern: RegExp): string => {
    const line = lines[index] ?? '';
    const value = line.startsWith(`${name} `) ? line.slice(name.length + 1) : undefined;
    if (value === undefined || !pattern.test(value)) bad(`line ${index + 1} is not ${name}`);
    return value as string;
  };
  const folio = field(1, 'folio', FOLIO_TEXT);
  const status = field(2, 'status', /^(valid|revoked|expired)$/) as CertificateProofStatus;
  const asOf = field(3, 'as-of', INSTANT);
  const [size, root] = field(4, 'tree', /^(0|[1-9][0-9]{0,15}) \S+$/).split(' ');
  const rootHash = decodeBase64Strict(root);
  if (!rootHash || rootHash.length !== 32 || !Number.isSafeInteger(Number(size))) bad('has no tree size and root');
  const entries = lines.slice(5).map((line, n) => {
    const [role, position, leafIndex, leafHash, ...rest] = line.split(' ');
    const hash = decodeBase64Strict(leafHash ?? '');
    if (
      rest.length > 0 ||
      !(CERTIFICATE_PROOF_ROLES as readonly string[]).includes(role) ||
      !DECIMAL.test(position ?? '') ||
      !DECIMAL.test(leafIndex ?? '') ||
      !Number.isSafeInteger(Number(leafIndex)) ||
      !hash ||
      hash.length !== 32
    ) {
      bad(`entry line ${n + 1} is not <role> <position> <leaf index> <leaf hash>`);
    }
    return { role: role as CertificateProofRole, position, leafIndex: Number(leafIndex), leafHash: hash as Buffer };
  });
  return { folio, status, asOf, treeSize: Number(size), rootHash: rootHash as Buffer, entries };
}

/** The bundle as served: its canonical JSON, so that the bytes are the content. */
export function formatCertificateProof(bundle: CertificateProofBundle): Buffer {
  return Buffer.from(canonicalize(bundle), 'utf8');
}

/** One event of the certificate's history, located in the checkpoint's tree. */
export interface ProvenEntry {
  readonly role: CertificateProofRole;
  readonly type: string;
  readonly position: string;
  readonly leafIndex: number;
  /** The entry's exact bytes. */
  readonly entry: Buffer;
  /** Its RFC 9162 inclusion path in the checkpoint's tree. */
  readonly inclusionProof: readonly Buffer[];
}

export interface CertificateProofParts {
  readonly folio: string;
  readonly status: CertificateProofStatus;
  readonly asOf: string;
  /** The signed checkpoint, verbatim, and what it signs. */
  readonly signedCheckpoint: string;
  readonly checkpoint: Pick<Checkpoint, 'treeSize' | 'rootHash'>;
  /** In the bundle's order: issuance, enrollment, judgment, accreditation, [revocation]. */
  readonly entries: readonly ProvenEntry[];
}

/** The bundle's bytes: every entry with its tlog-proof, and the status statement signed by the log key. */
export function assembleCertificateProof(parts: CertificateProofParts, key: NoteSignerKey): Buffer {
  const { folio, status, asOf, signedCheckpoint, checkpoint, entries } = parts;
  return formatCertificateProof({
    format: CERTIFICATE_PROOF_FORMAT,
    folio,
    checkpoint: signedCheckpoint,
    entries: entries.map(({ role, type, position, leafIndex, entry, inclusionProof }) => ({
      role,
      type,
      position,
      leafIndex,
      entry: entry.toString('base64'),
      proof: formatTlogProof({ leafIndex, inclusionProof, signedCheckpoint }),
    })),
    status: signStatusStatement(
      {
        folio,
        status,
        asOf,
        treeSize: checkpoint.treeSize,
        rootHash: checkpoint.rootHash,
        entries: entries.map(({ role, position, leafIndex, entry }) => ({ role, position, leafIndex, leafHash: hashLeaf(entry) })),
      },
      key,
    ),
  });
}

interface StoredEnvelope {
  id: string;
  type: string;
  streamId: string;
  revision: number;
  data: Record<string, unknown>;
  metadata: Record<string, unknown>;
}

export interface VerifiedCertificateEntry {
  readonly role: CertificateProofRole;
  readonly type: string;
  readonly position: string;
  readonly leafIndex: number;
  readonly streamId: string;
  readonly data: Readonly<Record<string, unknown>>;
}

/** What a bundle proves, once every check passed. */
export interface VerifiedCertificateProof {
  readonly folio: string;
  readonly status: CertificateProofStatus;
  readonly asOf: string;
  readonly checkpoint: Checkpoint;
  readonly standardCode: string;
  readonly providerId: string;
  readonly evaluatorId: string;
  readonly credentialFolio: string;
  readonly issuedAt: string;
  readonly validUntil: string;
  readonly revokedAt?: string;
  readonly entries: readonly VerifiedCertificateEntry[];
}

export interface CertificateProofTrust {
  /** The log's origin (the checkpoints' first line). */
  readonly origin: string;
  /** The log key(s) the verifier trusts: a verifier key obtained out of band (`GET /v1/log/key`, once). */
  readonly verifiers: readonly NoteVerifierKey[];
}

/**
 * Checks a bundle with nothing but its bytes and the trusted log key: the
 * checkpoint's and the statement's signatures, every entry's inclusion in
 * the checkpoint's tree, that the statement names exactly these entries at
 * these leaves, and that the entries are one certificate's history (its
 * issuance, the enrollment of the same process, a competent judgment by the
 * issuing evaluator with the credential the accreditation entry grants for
 * the standard, in that order) and that the status follows from them.
 */
export function verifyCertificateProof(bytes: Uint8Array | string, trust: CertificateProofTrust): VerifiedCertificateProof {
  const text = typeof bytes === 'string' ? bytes : Buffer.from(bytes).toString('utf8');
  if (Buffer.byteLength(text, 'utf8') > MAX_CERTIFICATE_PROOF_BYTES) fail('MALFORMED_BUNDLE', `the bundle is over ${MAX_CERTIFICATE_PROOF_BYTES} bytes`);
  if (typeof bytes !== 'string' && !Buffer.from(text, 'utf8').equals(Buffer.from(bytes))) fail('MALFORMED_BUNDLE', 'the bundle is not UTF-8');
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    fail('MALFORMED_BUNDLE', 'the bundle is not JSON');
  }
  const bundle = readBundle(parsed);
  if (canonicalize(bundle) !== text) fail('NOT_CANONICAL', 'the bundle is not in its canonical form (RFC 8785): it was altered');

  const checkpoint = trusted('CHECKPOINT_NOT_TRUSTED', 'the checkpoint', () => openCheckpoint(bundle.checkpoint, trust).checkpoint);
  const statement = parseStatusStatement(trusted('STATUS_NOT_TRUSTED', 'the status statement', () => openNote(bundle.status, trust.verifiers).text));
  if (statement.folio !== bundle.folio) fail('STATUS_MISMATCH', `the status statement is about ${statement.folio}, the bundle about ${bundle.folio}`);
  if (statement.treeSize !== checkpoint.treeSize || !equalHashes(statement.rootHash, checkpoint.rootHash)) {
    fail('STATUS_MISMATCH', "the status statement is not of the bundle's checkpoint");
  }
  if (statement.entries.length !== bundle.entries.length) fail('STATUS_MISMATCH', 'the status statement names other entries than the bundle holds');

  const entries = bundle.entries.map((entry, n) => {
    const signed = statement.entries[n];
    if (signed.role !== entry.role || signed.position !== entry.position || signed.leafIndex !== entry.leafIndex) {
      fail('STATUS_MISMATCH', `entry ${n + 1} (${entry.role}) is not the one the status statement names`);
    }
    const bytes = decodeBase64Strict(entry.entry);
    if (!bytes) return fail('MALFORMED_BUNDLE', `entry ${n + 1} is not canonical base64`);
    const leafHash = hashLeaf(bytes);
    if (!equalHashes(leafHash, signed.leafHash)) fail('ENTRY_MISMATCH', `the ${entry.role} entry does not hash to the leaf the status statement names`);
    const proof = trusted('INCLUSION_NOT_PROVEN', `the ${entry.role} entry's inclusion proof`, () => parseTlogProof(entry.proof));
    // The bundle's checkpoint, already verified: the proof's own copy must be it, byte for byte.
    if (proof.signedCheckpoint !== bundle.checkpoint) fail('INCLUSION_NOT_PROVEN', `the ${entry.role} entry is proven in another checkpoint than the bundle's`);
    if (proof.leafIndex !== entry.leafIndex) fail('INCLUSION_NOT_PROVEN', `the ${entry.role} entry is proven at another leaf than it names`);
    const included = verifyInclusion({ leafIndex: proof.leafIndex, treeSize: checkpoint.treeSize, leafHash, proof: proof.inclusionProof, rootHash: checkpoint.rootHash });
    if (!included.valid) fail('INCLUSION_NOT_PROVEN', `the ${entry.role} entry's inclusion proof does not verify: ${included.message}`);
    const envelope = readEnvelope(bytes, entry.role);
    if (envelope.type !== entry.type || envelope.type !== ROLE_EVENT_TYPES[entry.role]) {
      fail('ENTRY_MISMATCH', `the ${entry.role} entry is a ${envelope.type}, not a ${ROLE_EVENT_TYPES[entry.role]}`);
    }
    return { role: entry.role, type: envelope.type, position: entry.position, leafIndex: entry.leafIndex, streamId: envelope.streamId, data: envelope.data };
  });
  return { ...certificateOf(bundle.folio, entries), status: statusOf(statement, entries), asOf: statement.asOf, checkpoint, entries };
}

function trusted<T>(code: CertificateProofErrorCode, what: string, check: () => T): T {
  try {
    return check();
  } catch (error) {
    if (isVerifiableLogError(error)) return fail(code, `${what} does not verify: ${error.message}`);
    throw error;
  }
}

function readBundle(value: unknown): CertificateProofBundle {
  const bad = (why: string) => fail('MALFORMED_BUNDLE', `not a ${CERTIFICATE_PROOF_FORMAT} bundle: ${why}`);
  if (!isRecord(value)) return bad('not a JSON object');
  if (!sameKeys(value, ['checkpoint', 'entries', 'folio', 'format', 'status'])) bad('its members are format, folio, checkpoint, entries and status');
  if (value.format !== CERTIFICATE_PROOF_FORMAT) bad(`format is not ${CERTIFICATE_PROOF_FORMAT}`);
  if (typeof value.folio !== 'string' || !FOLIO_TEXT.test(value.folio)) bad('folio is not a folio');
  if (typeof value.checkpoint !== 'string' || typeof value.status !== 'string') bad('checkpoint and status are signed notes');
  if (!Array.isArray(value.entries) || value.entries.length < 4 || value.entries.length > CERTIFICATE_PROOF_ROLES.length) bad('entries are four or five');
  const roles = (value.entries as unknown[]).map((entry, n) => {
    if (!isRecord(entry) || !sameKeys(entry, ['entry', 'leafIndex', 'position', 'proof', 'role', 'type'])) return bad(`entry ${n + 1} is not {role, type, position, leafIndex, entry, proof}`);
    if (
      typeof entry.role !== 'string' ||
      typeof entry.type !== 'string' ||
      typeof entry.entry !== 'string' ||
      typeof entry.proof !== 'string' ||
      typeof entry.position !== 'string' ||
      !DECIMAL.test(entry.position) ||
      !Number.isSafeInteger(entry.leafIndex) ||
      (entry.leafIndex as number) < 0
    ) {
      bad(`entry ${n + 1} has a member of the wrong type`);
    }
    return entry.role;
  });
  const expected = CERTIFICATE_PROOF_ROLES.slice(0, roles.length);
  if (roles.some((role, n) => role !== expected[n])) bad(`the entries are, in order, ${expected.join(', ')}`);
  return value as unknown as CertificateProofBundle;
}

function readEnvelope(bytes: Buffer, role: CertificateProofRole): StoredEnvelope {
  let value: unknown;
  try {
    value = JSON.parse(bytes.toString('utf8'));
  } catch {
    return fail('ENTRY_MISMATCH', `the ${role} entry is not JSON`);
  }
  if (!isRecord(value) || typeof value.type !== 'string' || typeof value.streamId !== 'string' || !isRecord(value.data)) {
    return fail('ENTRY_MISMATCH', `the ${role} entry is not an event envelope`);
  }
  return value as unknown as StoredEnvelope;
}

function certificateOf(folio: string, entries: readonly VerifiedCertificateEntry[]) {
  const [issuance, enrollment, judgment, accreditation, revocation] = entries;
  const disagree = (why: string) => fail('ENTRIES_DISAGREE', `the entries are not one certificate's history: ${why}`);
  const issued = issuance.data;
  if (issued.folio !== folio) disagree(`the issuance is of folio ${String(issued.folio)}`);
  if (enrollment.streamId !== issuance.streamId || judgment.streamId !== issuance.streamId) disagree('the enrollment, the judgment and the issuance are not of one process');
  if (!(enrollment.leafIndex < judgment.leafIndex && judgment.leafIndex < issuance.leafIndex)) disagree('the enrollment, the judgment and the issuance are not in that order');
  if (judgment.data.result !== 'competent') disagree('the judgment is not competent');
  if (judgment.data.evaluatorId !== issued.evaluatorId) disagree('the judgment is not by the evaluator the issuance names');
  if (accreditation.data.evaluatorId !== issued.evaluatorId) disagree('the accreditation is of another evaluator');
  if (accreditation.data.credentialFolio !== judgment.data.credentialFolio) disagree('the accreditation is not the credential the judgment was made with');
  const standards = accreditation.data.standards ?? (accreditation.data.standardCode === undefined ? [] : [accreditation.data.standardCode]);
  if (!Array.isArray(standards) || !standards.includes(issued.standardCode)) disagree("the accreditation does not cover the certificate's standard");
  if (accreditation.data.providerId !== undefined && accreditation.data.providerId !== issued.providerId) disagree("the accreditation is not the provider's");
  if (!(accreditation.leafIndex < judgment.leafIndex)) disagree('the accreditation comes after the judgment');
  if (revocation && (revocation.data.folio !== folio || revocation.leafIndex < issuance.leafIndex)) disagree('the revocation is not of this certificate');
  return {
    folio,
    standardCode: String(issued.standardCode),
    providerId: String(issued.providerId),
    evaluatorId: String(issued.evaluatorId),
    credentialFolio: String(judgment.data.credentialFolio),
    issuedAt: String(issued.issuedAt),
    validUntil: String(issued.validUntil),
    ...(revocation ? { revokedAt: String(revocation.data.revokedAt) } : {}),
  };
}

/** The signed status must be the one the entries give: revoked with a revocation, else expired past validUntil, else valid. */
function statusOf(statement: CertificateStatusStatement, entries: readonly VerifiedCertificateEntry[]): CertificateProofStatus {
  const validUntil = Date.parse(String(entries[0].data.validUntil));
  const expected: CertificateProofStatus = entries[4] ? 'revoked' : validUntil < Date.parse(statement.asOf) ? 'expired' : 'valid';
  if (statement.status !== expected) fail('STATUS_MISMATCH', `the statement says ${statement.status}, the entries make the certificate ${expected}`);
  return expected;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function sameKeys(value: Record<string, unknown>, keys: readonly string[]): boolean {
  const own = Object.keys(value).sort();
  return own.length === keys.length && own.every((key, n) => key === keys[n]);
}
