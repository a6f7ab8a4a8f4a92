// A certificate's proof bundle (GET /v1/public/certificates/{folio}/proof), checked in the browser with nothing but
// Web Crypto: the checkpoint's and the status statement's Ed25519 signatures (C2SP signed-note), every entry's leaf hash
// (RFC 9162: SHA-256(0x00 ‖ entry)) against the one the statement signs, every entry's inclusion proof up to the
// checkpoint's root, and that the entries are one certificate's history. The same checks as `ledger verify-certificate`
// (libs/verifiable-log/src/certificate/certificate-proof.ts), written again for the browser: a second, independent verifier.
// Plain data in, a verdict out; no page, no network (the caller fetches the bundle and the key).

const STATUS_HEADER = 'certification-ledger/certificate-status@v1';
const BUNDLE_FORMAT = 'certification-ledger/certificate-proof@v1';
const TLOG_PROOF_HEADER = 'c2sp.org/tlog-proof@v1';
const ROLES = ['issuance', 'enrollment', 'judgment', 'accreditation', 'revocation'];
const ROLE_TYPES = {
  issuance: 'CertificateIssued',
  enrollment: 'CandidateEnrolled',
  judgment: 'EvaluationRecorded',
  accreditation: 'EvaluatorAccredited',
  revocation: 'CertificateRevoked',
};
const MAX_PROOF_HASHES = 64;

/** Why a bundle does not prove its certificate: a code and a sentence. */
export class ProofFailure extends Error {
  constructor(code, message) {
    super(message);
    this.code = code;
  }
}
const fail = (code, message) => {
  throw new ProofFailure(code, message);
};

const utf8 = new TextEncoder();
const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

/** Strict standard base64 (padded, no whitespace) to bytes, or undefined. */
export function base64Bytes(text) {
  if (typeof text !== 'string' || !BASE64.test(text)) return undefined;
  const binary = atob(text);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

function concat(...parts) {
  const out = new Uint8Array(parts.reduce((sum, part) => sum + part.length, 0));
  let at = 0;
  for (const part of parts) {
    out.set(part, at);
    at += part.length;
  }
  return out;
}

async function sha256(bytes) {
  return new Uint8Array(await crypto.subtle.digest('SHA-256', bytes));
}

export const sameBytes = (a, b) => a.length === b.length && a.every((byte, i) => byte === b[i]);
export const hashLeaf = (entry) => sha256(concat(new Uint8Array([0]), entry));
const hashChildren = (left, right) => sha256(concat(new Uint8Array([1]), left, right));
const isHash = (value) => value instanceof Uint8Array && value.length === 32;
const isTreeSize = (value) => Number.isSafeInteger(value) && value >= 0;

/** RFC 9162 §2.1.3.2: whether `proof` leads from the leaf at `leafIndex` to `rootHash` in a tree of `treeSize` leaves. */
export async function verifyInclusion({ leafIndex, treeSize, leafHash, proof, rootHash }) {
  if (!isTreeSize(leafIndex) || !isTreeSize(treeSize) || leafIndex >= treeSize) return false;
  if (!isHash(leafHash) || !isHash(rootHash) || !Array.isArray(proof) || proof.length > MAX_PROOF_HASHES || !proof.every(isHash)) return false;
  let fn = BigInt(leafIndex);
  let sn = BigInt(treeSize) - 1n;
  let r = leafHash;
  for (const p of proof) {
    if (sn === 0n) return false;
    if ((fn & 1n) === 1n || fn === sn) {
      r = await hashChildren(p, r);
      while ((fn & 1n) === 0n && fn !== 0n) {
        fn >>= 1n;
        sn >>= 1n;
      }
    } else {
      r = await hashChildren(r, p);
    }
    fn >>= 1n;
    sn >>= 1n;
  }
  return sn === 0n && sameBytes(r, rootHash);
}

/** RFC 9162 §2.1.4.2: whether `proof` shows the tree of `size1` leaves (`root1`) to be a prefix of the tree of `size2` (`root2`). */
export async function verifyConsistency({ size1, size2, root1, root2, proof }) {
  // A proof from the empty tree proves nothing (its root is the empty root, checked as such).
  if (!isTreeSize(size1) || !isTreeSize(size2) || size1 > size2 || size1 === 0) return false;
  if (!Array.isArray(proof) || proof.length > MAX_PROOF_HASHES || !proof.every(isHash)) return false;
  // Equal sizes compare the roots as they are (§2.1.4.2 step 1); every other case hashes them, so they must be hashes.
  if (size1 === size2) return proof.length === 0 && root1 instanceof Uint8Array && root2 instanceof Uint8Array && sameBytes(root1, root2);
  if (!isHash(root1) || !isHash(root2)) return false;
  if (proof.length === 0) return false;
  let fn = BigInt(size1) - 1n;
  let sn = BigInt(size2) - 1n;
  // A first tree whose size is a power of two is a whole subtree: its root begins the path.
  const path = (fn & (fn + 1n)) === 0n ? [root1, ...proof] : proof;
  while ((fn & 1n) === 1n) {
    fn >>= 1n;
    sn >>= 1n;
  }
  let fr = path[0];
  let sr = path[0];
  for (const c of path.slice(1)) {
    if (sn === 0n) return false;
    if ((fn & 1n) === 1n || fn === sn) {
      fr = await hashChildren(c, fr);
      sr = await hashChildren(c, sr);
      while ((fn & 1n) === 0n && fn !== 0n) {
        fn >>= 1n;
        sn >>= 1n;
      }
    } else {
      sr = await hashChildren(sr, c);
    }
    fn >>= 1n;
    sn >>= 1n;
  }
  return sn === 0n && sameBytes(fr, root1) && sameBytes(sr, root2);
}

/** A verifier key `<name>+<hex key id>+<base64(0x01 ‖ Ed25519 public key)>`, its id checked against the key. */
export async function parseVerifierKey(text) {
  // The name holds no plus sign; the base64 key may.
  const parts = typeof text === 'string' ? /^([^+\s]+)\+([0-9a-f]{8})\+(\S+)$/.exec(text.trim()) : null;
  if (!parts) fail('KEY', 'the log key is not <name>+<key id>+<key>');
  const [, name, keyIdText, keyText] = parts;
  const material = base64Bytes(keyText);
  if (!material || material.length !== 33 || material[0] !== 1) fail('KEY', 'the log key is not an Ed25519 key');
  const publicKey = material.slice(1);
  // signed-note: the key id is the first four bytes of SHA-256(name ‖ 0x0A ‖ 0x01 ‖ public key).
  const id = (await sha256(concat(utf8.encode(name), new Uint8Array([0x0a, 0x01]), publicKey))).slice(0, 4);
  const keyId = [...id].map((byte) => byte.toString(16).padStart(2, '0')).join('');
  if (keyId !== keyIdText) fail('KEY', `the key id ${keyIdText} is not the id of ${name}'s key`);
  let cryptoKey;
  try {
    cryptoKey = await crypto.subtle.importKey('raw', publicKey, { name: 'Ed25519' }, false, ['verify']);
  } catch {
    fail('NO_ED25519', 'this browser cannot check Ed25519 signatures (Web Crypto needs a recent browser and a secure page)');
  }
  return { name, keyId, id, cryptoKey, text: text.trim() };
}

/** A signed note's text, if one of its signatures is the key's and verifies (C2SP signed-note). */
async function openNote(note, key, what) {
  if (typeof note !== 'string') fail('NOTE', `${what} is not a signed note`);
  const split = note.lastIndexOf('\n\n');
  if (split < 0 || !note.endsWith('\n')) fail('NOTE', `${what} is not a signed note`);
  const text = note.slice(0, split + 1);
  for (const line of note.slice(split + 2, -1).split('\n')) {
    const match = /^\u2014 (\S+) (\S+)$/.exec(line);
    if (!match) fail('NOTE', `${what} has a signature line that does not read`);
    const signature = base64Bytes(match[2]);
    if (match[1] !== key.name || !signature || signature.length !== 68 || !sameBytes(signature.slice(0, 4), key.id)) continue;
    if (await crypto.subtle.verify({ name: 'Ed25519' }, key.cryptoKey, signature.slice(4), utf8.encode(text))) return text;
    fail('SIGNATURE', `${what}'s signature by ${key.name} does not verify`);
  }
  return fail('SIGNATURE', `${what} is not signed by ${key.name}`);
}

/** tlog-checkpoint: origin, tree size, root hash (extension lines allowed after). */
function readCheckpoint(text, origin) {
  const [first, size, root] = text.split('\n');
  const rootHash = base64Bytes(root);
  if (first !== origin) fail('CHECKPOINT', `the checkpoint is of ${first}, not of ${origin}`);
  if (!/^(0|[1-9][0-9]{0,15})$/.test(size ?? '') || !isTreeSize(Number(size)) || !isHash(rootHash)) fail('CHECKPOINT', 'the checkpoint has no tree size and root');
  return { origin, treeSize: Number(size), rootHash };
}

function readStatement(text) {
  const lines = text.slice(0, -1).split('\n');
  const field = (n, name) => {
    const line = lines[n] ?? '';
    if (!line.startsWith(`${name} `)) fail('STATUS', `the status statement's line ${n + 1} is not ${name}`);
    return line.slice(name.length + 1);
  };
  if (lines[0] !== STATUS_HEADER) fail('STATUS', `the status statement does not begin ${STATUS_HEADER}`);
  const [size, root] = field(4, 'tree').split(' ');
  const entries = lines.slice(5).map((line) => {
    const [role, position, leafIndex, leafHash] = line.split(' ');
    return { role, position, leafIndex: Number(leafIndex), leafHash: base64Bytes(leafHash ?? '') };
  });
  return { folio: field(1, 'folio'), status: field(2, 'status'), asOf: field(3, 'as-of'), treeSize: Number(size), rootHash: base64Bytes(root ?? ''), entries };
}

function readTlogProof(text) {
  const split = typeof text === 'string' ? text.indexOf('\n\n') : -1;
  if (split < 0) fail('INCLUSION', 'an inclusion proof does not read');
  const lines = text.slice(0, split).split('\n');
  if (lines[0] !== TLOG_PROOF_HEADER) fail('INCLUSION', `an inclusion proof does not begin ${TLOG_PROOF_HEADER}`);
  const next = lines[1]?.startsWith('extra ') ? 2 : 1;
  const index = /^index (0|[1-9][0-9]{0,15})$/.exec(lines[next] ?? '');
  if (!index) fail('INCLUSION', 'an inclusion proof has no index line');
  const hashes = lines.slice(next + 1).map(base64Bytes);
  if (!hashes.every(isHash)) fail('INCLUSION', 'an inclusion proof has a line that is not a hash');
  return { leafIndex: Number(index[1]), hashes, checkpoint: text.slice(split + 2) };
}

function readEntry(bytes, role) {
  let envelope;
  try {
    envelope = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes));
  } catch {
    fail('ENTRY', `the ${role} entry is not JSON`);
  }
  if (typeof envelope !== 'object' || envelope === null || typeof envelope.type !== 'string' || typeof envelope.data !== 'object' || envelope.data === null) {
    fail('ENTRY', `the ${role} entry is not an event`);
  }
  if (envelope.type !== ROLE_TYPES[role]) fail('ENTRY', `the ${role} entry is a ${envelope.type}, not a ${ROLE_TYPES[role]}`);
  return envelope;
}

/** The entries are one certificate's history, and the signed status follows from them. */
function checkHistory(folio, statement, entries) {
  const [issuance, enrollment, judgment, accreditation, revocation] = entries;
  const disagree = (why) => fail('HISTORY', `the entries are not one certificate's history: ${why}`);
  const issued = issuance.data;
  if (issued.folio !== folio) disagree(`the issuance is of folio ${issued.folio}`);
  if (enrollment.streamId !== issuance.streamId || judgment.streamId !== issuance.streamId) disagree('the enrollment, the judgment and the issuance are not of one process');
  if (!(enrollment.leafIndex < judgment.leafIndex && judgment.leafIndex < issuance.leafIndex)) disagree('the enrollment, the judgment and the issuance are not in that order');
  if (judgment.data.result !== 'competent' || judgment.data.evaluatorId !== issued.evaluatorId) disagree('the judgment is not a competent one by the issuing evaluator');
  if (accreditation.data.evaluatorId !== issued.evaluatorId || accreditation.data.credentialFolio !== judgment.data.credentialFolio) disagree("the accreditation is not the judging evaluator's credential");
  if (!(accreditation.leafIndex < judgment.leafIndex)) disagree('the accreditation comes after the judgment');
  if (revocation && (revocation.data.folio !== folio || revocation.leafIndex < issuance.leafIndex)) disagree('the revocation is not of this certificate');
  const expected = revocation ? 'revoked' : Date.parse(issued.validUntil) < Date.parse(statement.asOf) ? 'expired' : 'valid';
  if (statement.status !== expected) fail('STATUS', `the statement says ${statement.status}, the entries make the certificate ${expected}`);
}

/**
 * Checks a bundle (its JSON text) against the log key (the verifier key's text). Resolves to what it proves:
 * `{ folio, status, asOf, checkpoint: { origin, treeSize, rootHash }, keyId, entries: [{ role, type, position, leafIndex }] }`;
 * rejects with a ProofFailure saying what does not hold.
 */
export async function verifyCertificateBundle(bundleText, keyText) {
  const key = await parseVerifierKey(keyText);
  let bundle;
  try {
    bundle = JSON.parse(bundleText);
  } catch {
    fail('BUNDLE', 'the bundle is not JSON');
  }
  if (typeof bundle !== 'object' || bundle === null || bundle.format !== BUNDLE_FORMAT || !Array.isArray(bundle.entries)) fail('BUNDLE', `the bundle is not a ${BUNDLE_FORMAT}`);
  const checkpoint = readCheckpoint(await openNote(bundle.checkpoint, key, 'the checkpoint'), key.name);
  const statement = readStatement(await openNote(bundle.status, key, 'the status statement'));
  if (statement.folio !== bundle.folio) fail('STATUS', `the status statement is about ${statement.folio}, the bundle about ${bundle.folio}`);
  if (statement.treeSize !== checkpoint.treeSize || !isHash(statement.rootHash) || !sameBytes(statement.rootHash, checkpoint.rootHash)) fail('STATUS', "the status statement is not of the bundle's checkpoint");
  const roles = bundle.entries.map((entry) => entry?.role);
  if (roles.length < 4 || roles.some((role, n) => role !== ROLES[n]) || statement.entries.length !== roles.length) fail('BUNDLE', `the entries are not, in order, ${ROLES.join(', ')}`);
  const entries = [];
  for (const [n, entry] of bundle.entries.entries()) {
    const signed = statement.entries[n];
    if (signed.role !== entry.role || signed.position !== entry.position || signed.leafIndex !== entry.leafIndex || !isHash(signed.leafHash)) {
      fail('STATUS', `entry ${n + 1} (${entry.role}) is not the one the status statement names`);
    }
    const bytes = base64Bytes(entry.entry);
    if (!bytes) fail('ENTRY', `the ${entry.role} entry is not base64`);
    const leafHash = await hashLeaf(bytes);
    if (!sameBytes(leafHash, signed.leafHash)) fail('ENTRY', `the ${entry.role} entry does not hash to the leaf the status statement names`);
    const proof = readTlogProof(entry.proof);
    if (proof.checkpoint !== bundle.checkpoint || proof.leafIndex !== entry.leafIndex) fail('INCLUSION', `the ${entry.role} entry is proven elsewhere than the bundle says`);
    if (!(await verifyInclusion({ leafIndex: proof.leafIndex, treeSize: checkpoint.treeSize, leafHash, proof: proof.hashes, rootHash: checkpoint.rootHash }))) {
      fail('INCLUSION', `the ${entry.role} entry's inclusion proof does not lead to the checkpoint's root`);
    }
    const envelope = readEntry(bytes, entry.role);
    entries.push({ role: entry.role, type: envelope.type, position: entry.position, leafIndex: entry.leafIndex, streamId: envelope.streamId, data: envelope.data });
  }
  checkHistory(bundle.folio, statement, entries);
  return {
    folio: bundle.folio,
    status: statement.status,
    asOf: statement.asOf,
    checkpoint,
    keyId: key.keyId,
    entries: entries.map(({ role, type, position, leafIndex }) => ({ role, type, position, leafIndex })),
  };
}
