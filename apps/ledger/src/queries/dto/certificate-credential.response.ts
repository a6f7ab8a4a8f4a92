import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  CERTIFICATE_STATUSES,
  CERTIFICATE_STATUS_TYPE,
  CREDENTIAL_CONTEXTS,
  CREDENTIAL_TYPES,
  type CertificateCredential,
  type CertificateCredentialStatus,
  type CertificateStatus,
  type CredentialAchievement,
  type CredentialAchievementSubject,
  type CredentialEvidence,
  type CredentialHolderIdentity,
  type CredentialIdentifierEntry,
  type CredentialIssuerProfile,
} from '@ledger/read-models';
import { DATA_INTEGRITY_PROOF, EDDSA_JCS_2022, type DataIntegrityProof } from '@ledger/verifiable-log';

/**
 * The OpenAPI description of a certificate's Verifiable Credential. Each class
 * implements the read model's (or the proof's) type, so a field added to the
 * credential fails the type check until its documentation follows.
 */

/** VC 2.0 §6.3: the media type of a credential, secured or not (IANA, 2024; it replaced the drafts' application/vc+ld+json). */
export const CREDENTIAL_MEDIA_TYPE = 'application/vc';

export type SignedCertificateCredential = CertificateCredential & { proof: DataIntegrityProof };

const INSTANT = { format: 'date-time', example: '2026-11-13T18:00:00.000Z' } as const;
const CERTIFICATE_URL = 'https://ledger.example.gob.mx/v1/public/certificates/7K3M-9QXD-2HBT-B';
const DID_KEY = 'did:key:z6MkrJVnaZkeFzdQyMZu1cgjg7k1pZZ6pvBQ7XJPt4swbTQ2';

export class CredentialIdentifierEntryResponse implements CredentialIdentifierEntry {
  @ApiProperty({ enum: ['IdentifierEntry'] }) type: 'IdentifierEntry';
  @ApiProperty({ description: "The provider's id in the ledger", example: 'ECE322-18' }) identifier: string;
  @ApiProperty({ enum: ['identifier'] }) identifierType: 'identifier';
}

export class CredentialIssuerProfileResponse implements CredentialIssuerProfile {
  @ApiProperty({ description: "The ledger's did:key (its log key): the ledger signs on the provider's behalf", example: DID_KEY }) id: string;
  @ApiProperty({ type: [String], example: ['Profile'] }) type: ['Profile'];
  @ApiProperty({ description: 'The certification provider', example: 'ECE de Baja California' }) name: string;
  @ApiProperty() description: string;
  @ApiProperty({ type: [CredentialIdentifierEntryResponse] }) otherIdentifier: CredentialIdentifierEntryResponse[];
}

export class CredentialCriteriaResponse {
  @ApiProperty({ description: 'How the achievement is earned' }) narrative: string;
}

export class CredentialAchievementResponse implements CredentialAchievement {
  @ApiProperty({ description: 'urn:uuid: of a UUID v5 of the standard code: one id per standard', example: 'urn:uuid:2f1c1d4e-0b7a-5c7e-9a34-6d1c2b3a4f5e' }) id: string;
  @ApiProperty({ type: [String], example: ['Achievement'] }) type: ['Achievement'];
  @ApiProperty({ enum: ['Certification'] }) achievementType: 'Certification';
  @ApiProperty({ description: "The competency standard's title (its code when the registry holds none)", example: 'Atención al ciudadano en el sector público' }) name: string;
  @ApiProperty({ description: 'The competency standard code', example: 'EC0105' }) humanCode: string;
  @ApiProperty() description: string;
  @ApiProperty({ type: CredentialCriteriaResponse }) criteria: CredentialCriteriaResponse;
  @ApiProperty({ example: 'es-MX' }) inLanguage: string;
}

export class CredentialHolderIdentityResponse implements CredentialHolderIdentity {
  @ApiProperty({ enum: ['IdentityObject'] }) type: 'IdentityObject';
  @ApiProperty({ enum: ['name'] }) identityType: 'name';
  @ApiProperty({ enum: [false], description: 'The name is public in the registry, so it is not hashed' }) hashed: false;
  @ApiProperty({ description: "The holder's name (never a CURP or subjectId)", example: 'María Fernanda López Ruiz' }) identityHash: string;
}

export class CredentialAchievementSubjectResponse implements CredentialAchievementSubject {
  @ApiProperty({ type: [String], example: ['AchievementSubject'] }) type: ['AchievementSubject'];
  @ApiPropertyOptional({ type: [CredentialHolderIdentityResponse], description: 'Absent when the ledger holds no name for the holder' }) identifier?: CredentialHolderIdentityResponse[];
  @ApiProperty({ type: CredentialAchievementResponse }) achievement: CredentialAchievementResponse;
}

export class CertificateCredentialStatusResponse implements CertificateCredentialStatus {
  @ApiProperty({ description: 'The public verification route: the status now, whenever asked', example: CERTIFICATE_URL }) id: string;
  @ApiProperty({ enum: [CERTIFICATE_STATUS_TYPE] }) type: typeof CERTIFICATE_STATUS_TYPE;
  @ApiProperty({ enum: [...CERTIFICATE_STATUSES], description: 'As of statusAsOf: revoked wins, then expired past validUntil' }) status: CertificateStatus;
  @ApiProperty({ format: 'date-time', description: 'The instant of the answer, to the second (also the proof’s created)', example: '2026-12-01T10:00:00Z' }) statusAsOf: string;
  @ApiPropertyOptional({ ...INSTANT, description: 'Present once revoked' }) revokedAt?: string;
}

export class CredentialEvidenceResponse implements CredentialEvidence {
  @ApiProperty({ description: "The certificate's inclusion-proof bundle in the verifiable log", example: `${CERTIFICATE_URL}/proof` }) id: string;
  @ApiProperty({ type: [String], example: ['Evidence'] }) type: ['Evidence'];
  @ApiProperty() name: string;
  @ApiProperty() description: string;
  @ApiProperty({ example: 'c2sp.org/tlog-proof@v1' }) genre: string;
}

export class DataIntegrityProofResponse implements DataIntegrityProof {
  @ApiProperty({ enum: [DATA_INTEGRITY_PROOF] }) type: typeof DATA_INTEGRITY_PROOF;
  @ApiProperty({ enum: [EDDSA_JCS_2022] }) cryptosuite: typeof EDDSA_JCS_2022;
  @ApiProperty({ format: 'date-time', example: '2026-12-01T10:00:00Z' }) created: string;
  @ApiProperty({ description: "did:key of the ledger's log key, `<did>#<multibase key>`", example: `${DID_KEY}#z6MkrJVnaZkeFzdQyMZu1cgjg7k1pZZ6pvBQ7XJPt4swbTQ2` })
  verificationMethod: string;
  @ApiProperty({ enum: ['assertionMethod'] }) proofPurpose: string;
  @ApiProperty({ name: '@context', type: [String], description: "The credential's @context, as eddsa-jcs-2022 binds it", example: [...CREDENTIAL_CONTEXTS] }) '@context': string[];
  @ApiProperty({ description: 'Multibase base58btc (z…) of the Ed25519 signature', example: 'z2HnFSSPPBzR36zdDgK8PbEHeXbR56YF24jwMpt3R1eHXQzJDMWS93FCzpvJpwTWd3GAVFuUfjoJdcnTMuVor51aX' })
  proofValue: string;
}

export class CertificateCredentialResponse implements SignedCertificateCredential {
  @ApiProperty({ name: '@context', type: [String], example: [...CREDENTIAL_CONTEXTS] }) '@context': string[];
  @ApiProperty({ example: `${CERTIFICATE_URL}/credential` }) id: string;
  @ApiProperty({ type: [String], example: [...CREDENTIAL_TYPES] }) type: string[];
  @ApiProperty({ example: 'Certificado de competencia laboral EC0105 Atención al ciudadano en el sector público' }) name: string;
  @ApiProperty() description: string;
  @ApiProperty({ type: CredentialIssuerProfileResponse }) issuer: CredentialIssuerProfileResponse;
  @ApiProperty({ ...INSTANT, description: "The certificate's issuedAt" }) validFrom: string;
  @ApiProperty({ ...INSTANT, description: "The certificate's validUntil", example: '2031-11-13T18:00:00.000Z' }) validUntil: string;
  @ApiProperty({ ...INSTANT, description: "The certificate's issuedAt" }) awardedDate: string;
  @ApiProperty({ type: CredentialAchievementSubjectResponse }) credentialSubject: CredentialAchievementSubjectResponse;
  @ApiProperty({ type: CertificateCredentialStatusResponse }) credentialStatus: CertificateCredentialStatusResponse;
  @ApiProperty({ type: [CredentialEvidenceResponse] }) evidence: CredentialEvidenceResponse[];
  @ApiProperty({ type: DataIntegrityProofResponse }) proof: DataIntegrityProofResponse;
}
