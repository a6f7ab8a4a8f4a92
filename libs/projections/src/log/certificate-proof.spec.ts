import { canonicalize } from 'json-canonicalize';
import { generateNoteKey, verifierKeyOf } from '@ledger/verifiable-log';
import { CERTIFICATE_PROOF_FIXTURE, certificateProofBundle as bundle } from '@ledger/projections/testing';
import {
  assembleCertificateProof,
  CertificateProofError,
  formatStatusStatement,
  parseStatusStatement,
  verifyCertificateProof,
  type CertificateProofRole,
  type CertificateProofStatus,
  type CertificateProofErrorCode,
} from '@ledger/verifiable-log';

const { ORIGIN, KEY, TRUST, FOLIO } = CERTIFICATE_PROOF_FIXTURE;

function refusal(bytes: Buffer | string, trust = TRUST): CertificateProofErrorCode | undefined {
  try {
    verifyCertificateProof(bytes, trust);
    return undefined;
  } catch (error) {
    if (error instanceof CertificateProofError) return error.code;
    throw error;
  }
}

/** The bundle with a change to its parsed content, put back in canonical form (what a careful forger would serve). */
function edited(bytes: Buffer, change: (bundle: Record<string, any>) => void): string {
  const parsed = JSON.parse(bytes.toString('utf8'));
  change(parsed);
  return canonicalize(parsed);
}

describe('certificate proof bundles', () => {
  it('given a certificate issued on a competent judgment, when its bundle is verified, then it proves who certified whom with which authority', () => {
    const verified = verifyCertificateProof(bundle({ treeSize: 6 }), TRUST);
    expect(verified).toMatchObject({ folio: FOLIO, status: 'valid', standardCode: 'EC0105', providerId: 'ECE322-18', evaluatorId: 'eval-0007', credentialFolio: 'CED-1' });
    expect(verified.entries.map((entry) => [entry.role, entry.position])).toEqual([['issuance', '5'], ['enrollment', '2'], ['judgment', '4'], ['accreditation', '0']]);
    expect(verified.checkpoint.treeSize).toBe(6);
  });

  it('given a revocation in the checkpoint, then the bundle must say revoked, and says when', () => {
    expect(verifyCertificateProof(bundle({ revoked: true }), TRUST)).toMatchObject({ status: 'revoked', revokedAt: '2026-11-20T00:00:00.000Z' });
    expect(refusal(bundle({ revoked: true, status: 'valid' }))).toBe('STATUS_MISMATCH');
  });

  it('given validUntil before the statement, then only expired is accepted', () => {
    expect(verifyCertificateProof(bundle({ treeSize: 6, status: 'expired', asOf: '2032-01-01T00:00:00Z' }), TRUST).status).toBe('expired');
    expect(refusal(bundle({ treeSize: 6, status: 'valid', asOf: '2032-01-01T00:00:00Z' }))).toBe('STATUS_MISMATCH');
    expect(refusal(bundle({ treeSize: 6, status: 'expired' }))).toBe('STATUS_MISMATCH');
  });

  it('when the judgment is by another evaluator or under another credential than the accreditation proven, then the entries disagree', () => {
    expect(refusal(bundle({ treeSize: 6, overrides: { judgmentBy: 'eval-0099' } }))).toBe('ENTRIES_DISAGREE');
    expect(refusal(bundle({ treeSize: 6, overrides: { credential: 'CED-2' } }))).toBe('ENTRIES_DISAGREE');
  });

  it('when the bundle is reformatted, re-signed by another key, or its entries or roles are swapped, then it is refused with the reason', () => {
    const bytes = bundle({ treeSize: 6 });
    expect(refusal(JSON.stringify(JSON.parse(bytes.toString('utf8')), null, 2))).toBe('NOT_CANONICAL');
    expect(refusal(bytes, { origin: ORIGIN, verifiers: [verifierKeyOf(generateNoteKey(ORIGIN))] })).toBe('CHECKPOINT_NOT_TRUSTED');
    expect(refusal(edited(bytes, (b) => ([b.entries[1].entry, b.entries[2].entry] = [b.entries[2].entry, b.entries[1].entry])))).toBe('ENTRY_MISMATCH');
    expect(refusal(edited(bytes, (b) => (b.entries[0].position = '4')))).toBe('STATUS_MISMATCH');
    expect(refusal(edited(bytes, (b) => (b.folio = 'AAAA-BBBB-CCCC-D')))).toBe('STATUS_MISMATCH');
    expect(refusal(edited(bytes, (b) => b.entries.reverse()))).toBe('MALFORMED_BUNDLE');
    expect(refusal(edited(bytes, (b) => (b.extra = 1)))).toBe('MALFORMED_BUNDLE');
    expect(refusal(edited(bytes, (b) => b.entries.pop()))).toBe('MALFORMED_BUNDLE');
    expect(refusal('{')).toBe('MALFORMED_BUNDLE');
    expect(refusal('x'.repeat(600 * 1024))).toBe('MALFORMED_BUNDLE');
  });

  it('when an entry is proven in another checkpoint than the bundle’s, then it is refused', () => {
    const bytes = bundle({ treeSize: 6 });
    const other = bundle({ treeSize: 7, revoked: true });
    const foreign = JSON.parse(other.toString('utf8')).entries[0].proof;
    expect(refusal(edited(bytes, (b) => (b.entries[0].proof = foreign)))).toBe('INCLUSION_NOT_PROVEN');
  });

  it('reads back the status statement it writes, and refuses one line passing for two', () => {
    const statement = { folio: FOLIO, status: 'valid' as const, asOf: '2026-12-01T10:00:00Z', treeSize: 6, rootHash: Buffer.alloc(32, 7), entries: [{ role: 'issuance' as const, position: '5', leafIndex: 5, leafHash: Buffer.alloc(32, 1) }] };
    expect(parseStatusStatement(formatStatusStatement(statement))).toEqual(statement);
    expect(() => formatStatusStatement({ ...statement, folio: `${FOLIO}\nstatus revoked` })).toThrow(RangeError);
    expect(() => parseStatusStatement(formatStatusStatement(statement).replace('status valid', 'status valid extra'))).toThrow(CertificateProofError);
  });
});
