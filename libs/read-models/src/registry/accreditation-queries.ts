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
  /** The credential that applied on that date (the latest granted by then), in force or not. */
  accreditation: EvaluatorAccreditationView | null;
}

export class AccreditationQueries {
  constructor(private readonly dataSource: DataSource) {}

  /**
   * The credential granted last on or before `on` (a later one for the same
   * standard supersedes an earlier one) is in force when `on` is within its
   * validity and it had not been revoked by then.
   */
  async evaluatorOn(evaluatorId: string, standardCode: string, on: string): Promise<AccreditationStanding> {
    const instant = instantOf(on, 'on');
    const row = await this.dataSource
      .getRepository(EvaluatorAccreditationEntity)
      .createQueryBuilder('a')
      .where('a.evaluator_id = :evaluatorId AND a.standard_code = :standardCode', { evaluatorId, standardCode })
      .andWhere('a.accredited_at <= :instant', { instant })
      .orderBy('a.accredited_at', 'DESC')
      .addOrderBy('a.position', 'DESC')
      .getOne();
    const accredited =
      row !== null && isoDateOf(instant) <= row.validUntil && (row.revokedAt === null || row.revokedAt.toISOString() > instant);
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
