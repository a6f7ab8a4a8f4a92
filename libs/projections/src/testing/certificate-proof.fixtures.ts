import { logEntryOf, type RecordedEvent } from '@ledger/event-store';
import { generateNoteKey, hashLeaf, inclusionProofOfLeafHashes, rootOfLeafHashes, signCheckpoint, verifierKeyOf } from '@ledger/verifiable-log';
import { assembleCertificateProof, type CertificateProofRole, type CertificateProofStatus } from '@ledger/verifiable-log';

const ORIGIN = 'ledger.example.gob.mx/log';
const KEY = generateNoteKey(ORIGIN);
const FOLIO = '7K3M-9QXD-2HBT-B';

/** The log, its signing key (made fresh for each test process) and the certificate every fixture bundle is about. */
export const CERTIFICATE_PROOF_FIXTURE = { ORIGIN, KEY, FOLIO, TRUST: { origin: ORIGIN, verifiers: [verifierKeyOf(KEY)] } } as const;

let position = 0n;
function event(type: string, streamId: string, data: Record<string, unknown>): RecordedEvent {
  const at = position++;
  return { id: `00000000-0000-4000-8000-${String(at).padStart(12, '0')}`, type, streamId, revision: 0n, position: at, data, metadata: { actor: { role: 'certifier' } } as never };
}

/** A small log: an evaluator accredited, a process enrolled, judged twice, issued, and (maybe) revoked, among other events. */
export function certificateHistory(overrides: { judgmentBy?: string; credential?: string } = {}) {
  position = 0n;
  const accreditation = event('EvaluatorAccredited', 'evaluator-eval-0007', {
    evaluatorId: 'eval-0007', subjectId: 'subj-e', providerId: 'ECE322-18', standards: ['EC0105'], credentialFolio: 'CED-1', validFrom: '2018-01-01', validUntil: '2030-12-31',
  });
  const other = event('ProviderAccredited', 'provider-ECE322-18', { providerId: 'ECE322-18' });
  const enrollment = event('CandidateEnrolled', 'certification-p1', { processId: 'p1', subjectId: 'subj-1', standardCode: 'EC0105', providerId: 'ECE322-18' });
  const failed = event('EvaluationRecorded', 'certification-p1', { processId: 'p1', evaluatorId: 'eval-0007', result: 'not_yet_competent', credentialFolio: 'CED-1' });
  const judgment = event('EvaluationRecorded', 'certification-p1', {
    processId: 'p1', evaluatorId: overrides.judgmentBy ?? 'eval-0007', result: 'competent', credentialFolio: overrides.credential ?? 'CED-1',
  });
  const issuance = event('CertificateIssued', 'certification-p1', {
    processId: 'p1', folio: FOLIO, subjectId: 'subj-1', standardCode: 'EC0105', providerId: 'ECE322-18', evaluatorId: 'eval-0007', issuedAt: '2026-11-13T18:00:00.000Z', validUntil: '2031-11-13T18:00:00.000Z',
  });
  const revocation = event('CertificateRevoked', 'certification-p1', { processId: 'p1', folio: FOLIO, reason: 'x', revokedAt: '2026-11-20T00:00:00.000Z' });
  return { events: [accreditation, other, enrollment, failed, judgment, issuance, revocation], roles: { issuance, enrollment, judgment, accreditation, revocation } };
}

export function certificateProofBundle(options: { treeSize?: number; revoked?: boolean; status?: CertificateProofStatus; asOf?: string; overrides?: Parameters<typeof certificateHistory>[0] } = {}): Buffer {
  const { events, roles } = certificateHistory(options.overrides);
  const treeSize = options.treeSize ?? events.length;
  const leaves = events.slice(0, treeSize).map((e) => hashLeaf(logEntryOf(e)));
  const rootHash = rootOfLeafHashes(leaves);
  const signedCheckpoint = signCheckpoint({ origin: ORIGIN, treeSize, rootHash, extensionLines: [] }, [KEY]);
  const order: CertificateProofRole[] = ['issuance', 'enrollment', 'judgment', 'accreditation', ...(options.revoked ? (['revocation'] as const) : [])];
  const entries = order.map((role) => {
    const e = roles[role];
    const leafIndex = Number(e.position);
    return { role, type: e.type, position: e.position.toString(), leafIndex, entry: logEntryOf(e), inclusionProof: inclusionProofOfLeafHashes(leaves, leafIndex, treeSize) };
  });
  const status = options.status ?? (options.revoked ? 'revoked' : 'valid');
  return assembleCertificateProof({ folio: FOLIO, status, asOf: options.asOf ?? '2026-12-01T10:00:00Z', signedCheckpoint, checkpoint: { treeSize, rootHash }, entries }, KEY);
}

