import type { PublicCertificateView } from '../certificates/certificate-queries';
import { certificateCredential, standardAchievementId, type CredentialSetting } from './certificate-credential';

const VIEW: PublicCertificateView = {
  folio: '7K3M-9QXD-2HBT-B',
  holderName: 'María Fernanda López Ruiz',
  standardCode: 'EC0105',
  standardTitle: 'Atención al ciudadano en el sector público',
  providerId: 'ECE322-18',
  providerName: 'ECE de Baja California',
  issuedAt: '2026-11-13T18:00:00.000Z',
  validUntil: '2031-11-13T18:00:00.000Z',
  status: 'valid',
};

const SETTING: CredentialSetting = {
  publicUrl: 'https://ledger.example.gob.mx',
  issuerDid: 'did:key:z6MkrJVnaZkeFzdQyMZu1cgjg7k1pZZ6pvBQ7XJPt4swbTQ2',
  asOf: '2026-12-01T10:00:00Z',
};

describe('the credential of a certificate', () => {
  it('is an OpenBadgeCredential whose achievement is the standard, issued by the provider under the ledger key, valid as the certificate is', () => {
    const credential = certificateCredential(VIEW, SETTING);
    expect(credential).toMatchObject({
      '@context': [
        'https://www.w3.org/ns/credentials/v2',
        'https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json',
        'https://www.w3.org/ns/credentials/undefined-terms/v2',
      ],
      id: 'https://ledger.example.gob.mx/v1/public/certificates/7K3M-9QXD-2HBT-B/credential',
      type: ['VerifiableCredential', 'OpenBadgeCredential'],
      issuer: {
        id: SETTING.issuerDid,
        type: ['Profile'],
        name: 'ECE de Baja California',
        otherIdentifier: [{ type: 'IdentifierEntry', identifier: 'ECE322-18', identifierType: 'identifier' }],
      },
      validFrom: VIEW.issuedAt,
      validUntil: VIEW.validUntil,
      awardedDate: VIEW.issuedAt,
      credentialSubject: {
        type: ['AchievementSubject'],
        identifier: [{ type: 'IdentityObject', identityType: 'name', hashed: false, identityHash: 'María Fernanda López Ruiz' }],
        achievement: {
          id: standardAchievementId('EC0105'),
          type: ['Achievement'],
          achievementType: 'Certification',
          name: 'Atención al ciudadano en el sector público',
          humanCode: 'EC0105',
          criteria: { narrative: expect.stringContaining('EC0105') },
        },
      },
      credentialStatus: {
        id: 'https://ledger.example.gob.mx/v1/public/certificates/7K3M-9QXD-2HBT-B',
        type: 'LedgerCertificateStatus',
        status: 'valid',
        statusAsOf: '2026-12-01T10:00:00Z',
      },
      evidence: [{ id: 'https://ledger.example.gob.mx/v1/public/certificates/7K3M-9QXD-2HBT-B/proof', type: ['Evidence'] }],
    });
    expect(credential.credentialStatus).not.toHaveProperty('revokedAt');
  });

  it('states a revocation with its time, and names no holder whose name the ledger no longer holds', () => {
    const revoked = certificateCredential({ ...VIEW, status: 'revoked', revokedAt: '2026-11-20T17:00:00.000Z', holderName: null }, SETTING);
    expect(revoked.credentialStatus).toMatchObject({ status: 'revoked', revokedAt: '2026-11-20T17:00:00.000Z' });
    expect(revoked.credentialSubject).not.toHaveProperty('identifier');
  });

  it('falls back on the codes where the registry holds no title or name', () => {
    const bare = certificateCredential({ ...VIEW, standardTitle: null, providerName: null }, SETTING);
    expect(bare.credentialSubject.achievement).toMatchObject({ name: 'EC0105', humanCode: 'EC0105' });
    expect(bare.issuer.name).toBe('ECE322-18');
  });

  it('carries only the public view: a richer record passed in leaks nothing of the rest', () => {
    const record = { ...VIEW, subjectId: 'a'.repeat(64), curp: 'LORM800101MBCPZR09', agency: 'Secretaría de Hacienda', evaluatorId: 'eval-0007' };
    const text = JSON.stringify(certificateCredential(record, SETTING));
    for (const secret of [record.subjectId, record.curp, record.agency, record.evaluatorId, 'subjectId', 'curp']) expect(text).not.toContain(secret);
  });

  it('is the same document for the same certificate and time', () => {
    expect(JSON.stringify(certificateCredential(VIEW, SETTING))).toBe(JSON.stringify(certificateCredential({ ...VIEW }, { ...SETTING })));
  });

  it('names each standard by one name-based UUID (version 5)', () => {
    const id = standardAchievementId('EC0105');
    expect(id).toMatch(/^urn:uuid:[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(standardAchievementId('EC0105')).toBe(id);
    expect(standardAchievementId('EC0217')).not.toBe(id);
  });
});
