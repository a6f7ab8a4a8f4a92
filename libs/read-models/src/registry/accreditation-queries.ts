import { isoDateOf } from '@ledger/domain';
import type { DataSource } from 'typeorm';
import { instantOf } from '../certificates/certificate-filters';
import { EvaluatorAccreditationEntity } from '../entities/registry.entities';

export interface EvaluatorAccreditationView {
  evaluatorId: string;
  standardCode: string;
  credentialFolio: string;
  providerId: string;
  accreditedAt: string;
  validUntil: string;
  revokedAt: string | null;
  revocationReason: string | null;
  position: string;
}

/** "Was evaluator X accredited for standard S on D, and with which credential?" */
export interface AccreditationStanding {
  evaluatorId: string;
  standardCode: string;
  on: string;
  accredited: boolean;
  /** The credential that applied (the latest granted), in force or not. */
  accreditation: EvaluatorAccreditationView | null;
}

export class AccreditationQueries {
  constructor(private readonly dataSource: DataSource) {}

  /**
   * The credential for the standard is the latest one granted (a later grant
   * supersedes; a credential carries no start date, as in the domain). It is
   * in force on `on` when that date is within its validity and it had not
   * been revoked by then. With `atPosition`, only what the ledger knew at that
   * position counts: provenance asks it as of the evaluation's own position,
   * which is what the evaluation was decided against.
   */
  async evaluatorOn(evaluatorId: string, standardCode: string, on: string, atPosition?: string): Promise<AccreditationStanding> {
    const instant = instantOf(on, 'on');
    const query = this.dataSource
      .getRepository(EvaluatorAccreditationEntity)
      .createQueryBuilder('a')
      .where('a.evaluator_id = :evaluatorId AND a.standard_code = :standardCode', { evaluatorId, standardCode })
      .orderBy('a.position', 'DESC');
    if (atPosition !== undefined) query.andWhere('a.position <= :atPosition', { atPosition });
    const row = await query.getOne();
    const revocationKnown = row?.revokedPosition != null && (atPosition === undefined || BigInt(row.revokedPosition) <= BigInt(atPosition));
    const revoked = revocationKnown && row!.revokedAt!.toISOString() <= instant;
    const accredited = row !== null && isoDateOf(instant) <= row.validUntil && !revoked;
    return { evaluatorId, standardCode, on: instant, accredited, accreditation: row && accreditationOf(row) };
  }
}

function accreditationOf(row: EvaluatorAccreditationEntity): EvaluatorAccreditationView {
  return {
    evaluatorId: row.evaluatorId,
    standardCode: row.standardCode,
    credentialFolio: row.credentialFolio,
    providerId: row.providerId,
    accreditedAt: row.accreditedAt.toISOString(),
    validUntil: row.validUntil,
    revokedAt: row.revokedAt?.toISOString() ?? null,
    revocationReason: row.revocationReason,
    position: row.position,
  };
}
