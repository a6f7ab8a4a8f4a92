import { foldInMemory, recorded, tableWrites } from '../testing/recorded';
import { certificationProjection } from './certification.projection';

const enrolled = recorded(10, 'certification-p1', 'CandidateEnrolled', {
  processId: 'p1', subjectId: 's1', standardCode: 'EC0105', standardVersion: '01', validityYears: 5, providerId: 'ECE1',
  centreId: 'CE-1', agency: 'Contraloría', jurisdiction: { state: 'BC' }, employment: 'base', enrolledAt: '2018-10-01T15:00:00.000Z',
});
const evaluated = recorded(11, 'certification-p1', 'EvaluationRecorded', {
  processId: 'p1', evaluatorId: 'ev1', result: 'competent', evidenceDigest: 'sha256:00', evaluatedAt: '2018-11-01T16:00:00.000Z', credentialFolio: 'CED-1',
});
const issued = recorded(13, 'certification-p1', 'CertificateIssued', {
  processId: 'p1', folio: 'ABCD-EFGH-JKMN-P', subjectId: 's1', standardCode: 'EC0105', providerId: 'ECE1', evaluatorId: 'ev1',
  issuedAt: '2018-11-13T18:00:00.000Z', validUntil: '2023-11-13T18:00:00.000Z',
});
const revoked = recorded(20, 'certification-p1', 'CertificateRevoked', { processId: 'p1', folio: 'ABCD-EFGH-JKMN-P', reason: 'fraude', revokedAt: '2019-02-18T17:00:00.000Z' });

describe('certification projection', () => {
  it('makes a certificate from the issuance and the work data recorded at enrollment', () => {
    const rows = foldInMemory(certificationProjection, [enrolled, evaluated, issued]);
    expect(tableWrites(rows, 'certificates').puts).toEqual([
      expect.objectContaining({ folio: 'ABCD-EFGH-JKMN-P', agency: 'Contraloría', state: 'BC', municipality: null, employment: 'base', issued_position: '13', revoked_position: null }),
    ]);
    expect(tableWrites(rows, 'processes').puts).toEqual([expect.objectContaining({ process_id: 'p1', status: 'certified', evaluator_id: 'ev1', folio: 'ABCD-EFGH-JKMN-P', position: '13' })]);
    expect(tableWrites(rows, 'certification_counts').counters).toEqual([
      { key: expect.objectContaining({ standard_code: 'EC0105', state: 'BC', municipality: '', revoked: false }), counters: { certificates: 1 } },
    ]);
  });

  it('moves a revoked certificate from the valid count to the revoked one, keeping when the ledger learned it', () => {
    const rows = foldInMemory(certificationProjection, [enrolled, evaluated, issued, revoked]);
    expect(tableWrites(rows, 'certificates').puts[0]).toMatchObject({ revoked_at: '2019-02-18T17:00:00.000Z', revocation_reason: 'fraude', revoked_position: '20', position: '20' });
    const counts = tableWrites(rows, 'certification_counts').counters.map((delta) => [delta.key.revoked, delta.counters.certificates]);
    expect(counts.sort()).toEqual([[false, 0], [true, 1]]);
  });

  it('ignores a second revocation of the same certificate', () => {
    const stored = { certificates: [{ folio: 'ABCD-EFGH-JKMN-P', revoked_position: '20', standard_code: 'EC0105' }] };
    const again = recorded(30, 'certification-p1', 'CertificateRevoked', { processId: 'p1', folio: 'ABCD-EFGH-JKMN-P', reason: 'otra', revokedAt: '2019-03-01T00:00:00.000Z' });
    const rows = foldInMemory(certificationProjection, [again], stored);
    expect(tableWrites(rows, 'certificates').patches).toEqual([]);
    expect(tableWrites(rows, 'certification_counts').counters).toEqual([]);
  });
});
