import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { canonicalize } from 'json-canonicalize';
import { formatVerifierKey, generateNoteKey, verifierKeyOf } from '@ledger/verifiable-log';
import { EXPECTED_VECTOR_COUNT, loadMerkleVectors, type ConsistencyVector, type InclusionVector } from '@ledger/verifiable-log/testing';
import { CERTIFICATE_PROOF_FIXTURE, certificateProofBundle } from '@ledger/projections/testing';

/**
 * The console's own proof checker (apps/console/public/log-proof.js, the
 * browser's second, independent verifier of certificate bundles), run as the
 * ES module it is, with Web Crypto, in a child Node: every public Merkle
 * vector (../shared/testdata/merkle) is accepted or refused as its `wantErr`
 * says, and bundles the ledger's code assembles verify, while each forgery
 * the server-side verifier refuses is refused here too.
 */
const MODULE = resolve(__dirname, 'public/log-proof.js');
const { KEY, FOLIO } = CERTIFICATE_PROOF_FIXTURE;
const LOG_KEY = formatVerifierKey(verifierKeyOf(KEY));

/** Runs `body` (an async function of the module's exports and `input`) in a child Node and returns what it resolves to. */
function inModule<T>(body: string, input: unknown): T {
  const dir = mkdtempSync(join(tmpdir(), 'log-proof-'));
  try {
    copyFileSync(MODULE, join(dir, 'log-proof.mjs'));
    const script = `import * as proof from ${JSON.stringify(pathToFileURL(join(dir, 'log-proof.mjs')).href)};
      let text = ''; for await (const chunk of process.stdin) text += chunk;
      const run = ${body};
      process.stdout.write(JSON.stringify(await run(proof, JSON.parse(text))));`;
    return JSON.parse(execFileSync(process.execPath, ['--input-type=module', '-e', script], { input: JSON.stringify(input), encoding: 'utf8' })) as T;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** What the module says of each bundle: the verdict's summary, or the failure's code. */
function verdicts(bundles: readonly string[], key = LOG_KEY): { ok?: { folio: string; status: string; treeSize: number; roles: string[] }; code?: string }[] {
  return inModule(
    `async (proof, { bundles, key }) => Promise.all(bundles.map((bundle) => proof.verifyCertificateBundle(bundle, key).then(
      (v) => ({ ok: { folio: v.folio, status: v.status, treeSize: v.checkpoint.treeSize, roles: v.entries.map((e) => e.role) } }),
      (e) => ({ code: e.code ?? e.message }))))`,
    { bundles, key },
  );
}

const edited = (bytes: Buffer, change: (bundle: Record<string, any>) => void): string => {
  const parsed = JSON.parse(bytes.toString('utf8'));
  change(parsed);
  return canonicalize(parsed);
};

describe("the console's proof checker (log-proof.js)", () => {
  it('accepts every Merkle test vector without wantErr and refuses every one with it', () => {
    const inclusion = loadMerkleVectors<InclusionVector>('inclusion');
    const consistency = loadMerkleVectors<ConsistencyVector>('consistency');
    expect(inclusion.length + consistency.length).toBe(EXPECTED_VECTOR_COUNT);
    const answers = inModule<{ inclusion: boolean[]; consistency: boolean[] }>(
      `async (proof, { inclusion, consistency }) => {
        const bytes = (text) => (typeof text === 'string' ? proof.base64Bytes(text) : text) ?? new Uint8Array(0);
        const hashes = (list) => (list ?? []).map(bytes);
        return {
          inclusion: await Promise.all(inclusion.map((v) => proof.verifyInclusion({ leafIndex: v.leafIdx, treeSize: v.treeSize, leafHash: bytes(v.leafHash), rootHash: bytes(v.root), proof: hashes(v.proof) }))),
          consistency: await Promise.all(consistency.map((v) => proof.verifyConsistency({ size1: v.size1, size2: v.size2, root1: bytes(v.root1), root2: bytes(v.root2), proof: hashes(v.proof) }))),
        };
      }`,
      { inclusion: inclusion.map((v) => v.vector), consistency: consistency.map((v) => v.vector) },
    );
    const wrong = [
      ...inclusion.filter((v, n) => answers.inclusion[n] === Boolean(v.vector.wantErr)).map((v) => v.file),
      ...consistency.filter((v, n) => answers.consistency[n] === Boolean(v.vector.wantErr)).map((v) => v.file),
    ];
    expect(wrong).toEqual([]);
  });

  it('verifies the bundles the ledger assembles: a valid certificate, a revoked one, and one past its validity', () => {
    const [valid, revoked, expired] = verdicts([
      certificateProofBundle({ treeSize: 6 }).toString('utf8'),
      certificateProofBundle({ revoked: true }).toString('utf8'),
      certificateProofBundle({ treeSize: 6, status: 'expired', asOf: '2032-01-01T00:00:00Z' }).toString('utf8'),
    ]);
    expect(valid.ok).toEqual({ folio: FOLIO, status: 'valid', treeSize: 6, roles: ['issuance', 'enrollment', 'judgment', 'accreditation'] });
    expect(revoked.ok).toMatchObject({ status: 'revoked', treeSize: 7, roles: ['issuance', 'enrollment', 'judgment', 'accreditation', 'revocation'] });
    expect(expired.ok).toMatchObject({ status: 'expired' });
  });

  it('refuses what the server-side verifier refuses: another key, a forged entry, a moved leaf, a proof of another tree, a false status, another history', () => {
    const good = certificateProofBundle({ treeSize: 6 });
    const forgedEntry = edited(good, (bundle) => {
      const entry = JSON.parse(Buffer.from(bundle.entries[0].entry, 'base64').toString('utf8'));
      entry.data.standardCode = 'EC0217';
      bundle.entries[0].entry = Buffer.from(canonicalize(entry)).toString('base64');
    });
    const otherTree = certificateProofBundle({ treeSize: 7 }).toString('utf8');
    const answers = verdicts([
      forgedEntry,
      edited(good, (bundle) => (bundle.entries[1].leafIndex += 1)),
      edited(good, (bundle) => (bundle.entries[2].proof = JSON.parse(otherTree).entries[2].proof)),
      certificateProofBundle({ treeSize: 6, status: 'revoked' }).toString('utf8'),
      certificateProofBundle({ treeSize: 6, overrides: { judgmentBy: 'eval-0099' } }).toString('utf8'),
      edited(good, (bundle) => (bundle.checkpoint = bundle.checkpoint.replace(/\n6\n/, '\n5\n'))),
      'not json',
    ]);
    expect(answers.map((answer) => answer.code)).toEqual(['ENTRY', 'STATUS', 'INCLUSION', 'STATUS', 'HISTORY', 'SIGNATURE', 'BUNDLE']);
    const [otherKey] = verdicts([good.toString('utf8')], formatVerifierKey(verifierKeyOf(generateNoteKey(CERTIFICATE_PROOF_FIXTURE.ORIGIN))));
    expect(otherKey.code).toBe('SIGNATURE');
    const [mistypedKey] = verdicts([good.toString('utf8')], LOG_KEY.replace(/\+([0-9a-f]{8})\+/, (_, id: string) => `+${id === '00000000' ? '00000001' : '00000000'}+`));
    expect(mistypedKey.code).toBe('KEY');
  });
});
