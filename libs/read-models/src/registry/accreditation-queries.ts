import { isoDateOf } from '@ledger/domain';
import type { DataSource } from 'typeorm';
import { instantOf } from '../certificates/certificate-filters';
import { EvaluatorAccreditationEntity } from '../entities/registry.entities';

export interface EvaluatorAccreditationView {
  evaluatorId: string;
  standardCode: string;
  credentialFolio: string;
  /** The provider that issued the credential and owns it. */
  providerId: string;
  /** Calendar date the credential is in force from; null where the log held none. */
  validFrom: string | null;
  accreditedAt: string;
  validUntil: string;
  revokedAt: string | null;
  revocationReason: string | null;
  position: string;
}

/** One provider's credential for the standard as it applied on the date asked about. */
export type CredentialOnDate = EvaluatorAccreditationView & { inForce: boolean };

/** "Was evaluator X accredited for standard S on D, and with which credential?" */
export interface AccreditationStanding {
  evaluatorId: string;
  standardCode: string;
  on: string;
  /** A credential of some provider (of the one asked about, when named) was in force on that date. */
  accredited: boolean;
  /** The credential that applied: one in force if any, else the latest that governed or was granted; null when none exists. */
  accreditation: EvaluatorAccreditationView | null;
  /** Per provider holding a credential for the standard, the one that applied on that date, in force or not. */
  credentials: CredentialOnDate[];
}

export class AccreditationQueries {
  constructor(private readonly dataSource: DataSource) {}

  /**
   * Each provider's credentials are its own. Of one provider's credentials
   * for the standard, the latest recorded whose period (validFrom to
   * validUntil) covers the date governs it, as in the domain; it is in force
   * unless it had been revoked by then. A credential granted after the date,
   * or by another provider, never answers for it. With `atPosition`, only
   * what the ledger knew at that position counts: provenance asks as of the
   * evaluation's own position, which is what the evaluation was decided against.
   */
  async evaluatorOn(evaluatorId: string, standardCode: string, on: string, atPosition?: string, providerId?: string): Promise<AccreditationStanding> {
    const instant = instantOf(on, 'on');
    const query = this.dataSource
      .getRepository(EvaluatorAccreditationEntity)
      .createQueryBuilder('a')
      .where('a.evaluator_id = :evaluatorId AND a.standard_code = :standardCode', { evaluatorId, standardCode })
      .orderBy('a.position', 'ASC');
    if (atPosition !== undefined) query.andWhere('a.position <= :atPosition', { atPosition });
    if (providerId !== undefined) query.andWhere('a.provider_id = :providerId', { providerId });
    const rows = await query.getMany();
    const credentials = [...groupByProvider(rows).values()].map((own) => credentialOn(own, instant, atPosition));
    const inForce = credentials.filter((credential) => credential.inForce);
    const applied = inForce.at(-1) ?? [...credentials].sort((a, b) => Number(BigInt(a.position) - BigInt(b.position))).at(-1) ?? null;
    const accreditation = applied && withoutInForce(applied);
    return { evaluatorId, standardCode, on: instant, accredited: inForce.length > 0, accreditation, credentials };
  }
}

function groupByProvider(rows: readonly EvaluatorAccreditationEntity[]): Map<string, EvaluatorAccreditationEntity[]> {
  const byProvider = new Map<string, EvaluatorAccreditationEntity[]>();
  for (const row of rows) byProvider.set(row.providerId, [...(byProvider.get(row.providerId) ?? []), row]);
  return byProvider;
}

/** One provider's rows, oldest first: the governing one on the date, else the latest granted (not in force). */
function credentialOn(rows: readonly EvaluatorAccreditationEntity[], instant: string, atPosition: string | undefined): CredentialOnDate {
  const date = isoDateOf(instant);
  const governing = rows.findLast((row) => startOf(row) <= date && date <= row.validUntil);
  const row = governing ?? rows[rows.length - 1];
  const revocationKnown = row.revokedPosition != null && (atPosition === undefined || BigInt(row.revokedPosition) <= BigInt(atPosition));
  const revoked = revocationKnown && row.revokedAt !== null && row.revokedAt.toISOString() <= instant;
  return { ...accreditationOf(row), inForce: governing !== undefined && !revoked };
}

/** A row without a usable start (possible only for events written outside the ledger) starts when it was recorded. */
function startOf(row: EvaluatorAccreditationEntity): string {
  return row.validFrom ?? row.accreditedAt.toISOString().slice(0, 10);
}

function withoutInForce({ inForce: _inForce, ...view }: CredentialOnDate): EvaluatorAccreditationView {
  return view;
}

function accreditationOf(row: EvaluatorAccreditationEntity): EvaluatorAccreditationView {
  return {
    evaluatorId: row.evaluatorId,
    standardCode: row.standardCode,
    credentialFolio: row.credentialFolio,
    providerId: row.providerId,
    validFrom: row.validFrom,
    accreditedAt: row.accreditedAt.toISOString(),
    validUntil: row.validUntil,
    revokedAt: row.revokedAt?.toISOString() ?? null,
    revocationReason: row.revocationReason,
    position: row.position,
  };
}
