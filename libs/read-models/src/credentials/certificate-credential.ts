import { createHash } from 'node:crypto';
import type { CertificateStatus } from '../certificates/certificate-filters';
import type { PublicCertificateView } from '../certificates/certificate-queries';

/**
 * A certificate as a W3C Verifiable Credential (Data Model 2.0) in the shape
 * of an Open Badges 3.0 OpenBadgeCredential, built from the public view of the
 * certificate only, so it carries exactly what anyone holding the folio may
 * see: never a CURP, a subjectId or work data. The ledger signs it (see
 * @ledger/verifiable-log's eddsa-jcs-2022 proofs); this is the unsigned shape.
 *
 * - The achievement is the competency standard: its title, its code as OB3's
 *   `humanCode`, and the criteria for earning it.
 * - The issuer is the certification provider, a Profile named after it with
 *   its ledger id as an `otherIdentifier`. Its `id` is the ledger's did:key:
 *   the ledger signs on the provider's behalf, and verifiers require the
 *   issuer's id to be the controller of the key that signed.
 * - The holder is named through OB3's IdentityObject (identityType `name`,
 *   not hashed, as the public registry shows it); a holder whose name the
 *   ledger no longer holds (erased) is not named at all.
 * - `credentialStatus` states valid, revoked or expired as of `asOf`, and
 *   points at the public verification route, which always answers the status
 *   now; `evidence` points at the certificate's inclusion-proof bundle in the
 *   verifiable log.
 */

/**
 * VC 2.0 first, as the data model requires; then the OB 3.0.3 context; last
 * the W3C's undefined-terms context, which VC 2.0 requires of a document using
 * terms no context defines: here the status's (LedgerCertificateStatus,
 * status, statusAsOf, revokedAt), mapped to https://www.w3.org/ns/credentials/undefined-term#….
 */
export const CREDENTIAL_CONTEXTS = [
  'https://www.w3.org/ns/credentials/v2',
  'https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json',
  'https://www.w3.org/ns/credentials/undefined-terms/v2',
] as const;
export const CREDENTIAL_TYPES = ['VerifiableCredential', 'OpenBadgeCredential'] as const;
/** The type of `credentialStatus`: a status stated in the credential itself, as of a time. */
export const CERTIFICATE_STATUS_TYPE = 'LedgerCertificateStatus';

/*
 * Achievements are named by UUID v5 (RFC 9562 §5.5) of the standard's code in
 * this namespace, so that EC0105 has one id in every credential of every
 * deployment of the ledger, and no URL that does not resolve is invented.
 */
const STANDARD_NAMESPACE = Buffer.from('bbc960aabdf44cd4873af0eee98c227b', 'hex');

export interface CredentialIdentifierEntry {
  type: 'IdentifierEntry';
  identifier: string;
  identifierType: 'identifier';
}

export interface CredentialIssuerProfile {
  id: string;
  type: ['Profile'];
  name: string;
  description: string;
  otherIdentifier: CredentialIdentifierEntry[];
}

export interface CredentialAchievement {
  id: string;
  type: ['Achievement'];
  achievementType: 'Certification';
  name: string;
  humanCode: string;
  description: string;
  criteria: { narrative: string };
  inLanguage: string;
}

export interface CredentialHolderIdentity {
  type: 'IdentityObject';
  identityType: 'name';
  hashed: false;
  identityHash: string;
}

export interface CredentialAchievementSubject {
  type: ['AchievementSubject'];
  /** Absent when the ledger holds no name for the holder. */
  identifier?: CredentialHolderIdentity[];
  achievement: CredentialAchievement;
}

export interface CertificateCredentialStatus {
  /** The public verification route of the certificate: the status now, whenever asked. */
  id: string;
  type: typeof CERTIFICATE_STATUS_TYPE;
  status: CertificateStatus;
  statusAsOf: string;
  revokedAt?: string;
}

export interface CredentialEvidence {
  id: string;
  type: ['Evidence'];
  name: string;
  description: string;
  genre: string;
}

export interface CertificateCredential {
  '@context': string[];
  id: string;
  type: string[];
  name: string;
  description: string;
  issuer: CredentialIssuerProfile;
  validFrom: string;
  validUntil: string;
  awardedDate: string;
  credentialSubject: CredentialAchievementSubject;
  credentialStatus: CertificateCredentialStatus;
  evidence: CredentialEvidence[];
}

export interface CredentialSetting {
  /** The ledger's public base URL, as clients reach it (no trailing slash). */
  publicUrl: string;
  /** The did:key of the key that will sign the credential. */
  issuerDid: string;
  /** The instant the status is stated for; the view's status must be the one as of it. */
  asOf: string;
}

/** The public routes of a certificate, which the credential names. */
export function certificateRoutes(publicUrl: string, folio: string): { verification: string; credential: string; proof: string } {
  const verification = `${publicUrl}/v1/public/certificates/${encodeURIComponent(folio)}`;
  return { verification, credential: `${verification}/credential`, proof: `${verification}/proof` };
}

/** The id of a competency standard's achievement: `urn:uuid:` and a UUID v5 of its code. */
export function standardAchievementId(standardCode: string): string {
  const hash = createHash('sha1').update(STANDARD_NAMESPACE).update(standardCode, 'utf8').digest().subarray(0, 16);
  hash[6] = (hash[6] & 0x0f) | 0x50;
  hash[8] = (hash[8] & 0x3f) | 0x80;
  const hex = hash.toString('hex');
  return `urn:uuid:${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** The unsigned credential of a certificate: the same view and setting give the same document. */
export function certificateCredential(view: PublicCertificateView, setting: CredentialSetting): CertificateCredential {
  const routes = certificateRoutes(setting.publicUrl, view.folio);
  const standard = view.standardTitle ? `${view.standardCode} ${view.standardTitle}` : view.standardCode;
  const provider = view.providerName ?? view.providerId;
  return {
    '@context': [...CREDENTIAL_CONTEXTS],
    id: routes.credential,
    type: [...CREDENTIAL_TYPES],
    name: `Certificado de competencia laboral ${standard}`,
    description: `Certificado ${view.folio}, emitido por ${provider} y registrado en el ledger de certificaciones.`,
    issuer: issuerProfile(view, setting.issuerDid),
    validFrom: view.issuedAt,
    validUntil: view.validUntil,
    awardedDate: view.issuedAt,
    credentialSubject: {
      type: ['AchievementSubject'],
      ...(view.holderName === null ? {} : { identifier: [{ type: 'IdentityObject', identityType: 'name', hashed: false, identityHash: view.holderName }] }),
      achievement: standardAchievement(view),
    },
    credentialStatus: {
      id: routes.verification,
      type: CERTIFICATE_STATUS_TYPE,
      status: view.status,
      statusAsOf: setting.asOf,
      ...(view.revokedAt ? { revokedAt: view.revokedAt } : {}),
    },
    evidence: [
      {
        id: routes.proof,
        type: ['Evidence'],
        name: 'Pruebas de inclusión en el log verificable',
        description:
          'Las entradas de emisión, inscripción, dictamen y acreditación del evaluador en el log verificable del ledger, cada una con su prueba de inclusión c2sp.org/tlog-proof@v1, y el estado del certificado firmado con la llave del log.',
        genre: 'c2sp.org/tlog-proof@v1',
      },
    ],
  };
}

function issuerProfile(view: PublicCertificateView, issuerDid: string): CredentialIssuerProfile {
  const provider = view.providerName ?? view.providerId;
  return {
    id: issuerDid,
    type: ['Profile'],
    name: provider,
    description: `Entidad de certificación ${view.providerId}, acreditada en el ledger; el ledger firma en su nombre con la llave de su log verificable.`,
    otherIdentifier: [{ type: 'IdentifierEntry', identifier: view.providerId, identifierType: 'identifier' }],
  };
}

function standardAchievement(view: PublicCertificateView): CredentialAchievement {
  const standard = view.standardTitle ? `${view.standardCode} «${view.standardTitle}»` : view.standardCode;
  return {
    id: standardAchievementId(view.standardCode),
    type: ['Achievement'],
    achievementType: 'Certification',
    name: view.standardTitle ?? view.standardCode,
    humanCode: view.standardCode,
    description: `Estándar de competencia ${view.standardCode} del Registro Nacional de Estándares de Competencia.`,
    criteria: {
      narrative: `Ser evaluado competente en el estándar de competencia ${standard} por un evaluador acreditado para ese estándar, y recibir el certificado de la entidad de certificación que lo acredita.`,
    },
    inLanguage: 'es-MX',
  };
}
