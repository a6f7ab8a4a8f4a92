import type { EventStore, RecordedEvent } from '@ledger/event-store';

/**
 * The ledger's certificates and names computed straight from the event log,
 * with none of the projection code: what the read models must agree with.
 */
export interface TrueCertificate {
  folio: string;
  subjectId: string;
  standardCode: string;
  providerId: string;
  evaluatorId: string;
  agency: string;
  state: string;
  municipality: string | null;
  employment: string;
  issuedAt: string;
  validUntil: string;
  issuedPosition: bigint;
  revokedAt?: string;
  revokedPosition?: bigint;
}

export interface LedgerTruth {
  certificates: TrueCertificate[];
  names: { subjectId: string; position: bigint; fullName: string }[];
  events: RecordedEvent[];
}

export async function readTruth(store: EventStore): Promise<LedgerTruth> {
  const events = await store.readAll();
  const enrollments = new Map<string, { agency: string; state: string; municipality: string | null; employment: string }>();
  const certificates = new Map<string, TrueCertificate>();
  const names: LedgerTruth['names'] = [];
  for (const event of events) {
    const data = event.data as Record<string, any>;
    if (event.type === 'CandidateEnrolled') {
      enrollments.set(data.processId, {
        agency: data.agency,
        state: data.jurisdiction.state,
        municipality: data.jurisdiction.municipality ?? null,
        employment: data.employment,
      });
    } else if (event.type === 'CertificateIssued') {
      certificates.set(data.folio, {
        folio: data.folio, subjectId: data.subjectId, standardCode: data.standardCode, providerId: data.providerId,
        evaluatorId: data.evaluatorId, ...enrollments.get(data.processId)!, issuedAt: data.issuedAt, validUntil: data.validUntil,
        issuedPosition: event.position,
      });
    } else if (event.type === 'CertificateRevoked') {
      const certificate = certificates.get(data.folio)!;
      certificate.revokedAt = data.revokedAt;
      certificate.revokedPosition = event.position;
    } else if (event.type === 'PersonRegistered' || event.type === 'PersonalDataRectified') {
      names.push({ subjectId: data.subjectId, position: event.position, fullName: data.fullName });
    }
  }
  return { certificates: [...certificates.values()], names, events };
}

/** Status on a business date, as known at a position: the definition the report must follow. */
export function statusAsOf(certificate: TrueCertificate, cutoff: string, position: bigint): 'valid' | 'revoked' | 'expired' {
  if (certificate.revokedPosition !== undefined && certificate.revokedPosition <= position && certificate.revokedAt! < cutoff) return 'revoked';
  return certificate.validUntil < cutoff ? 'expired' : 'valid';
}

export function nameAt(truth: LedgerTruth, subjectId: string, position: bigint): string | null {
  let name: string | null = null;
  for (const entry of truth.names) if (entry.subjectId === subjectId && entry.position <= position) name = entry.fullName;
  return name;
}
