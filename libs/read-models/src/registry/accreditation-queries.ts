import { isoDateOf } from '@ledger/domain';
import type { DataSource } from 'typeorm';
import { instantOf } from '../certificates/certificate-filters';
import { inReadSnapshot, type ReadModelReader } from '../read-position';
import { EVALUATOR_ACCREDITATION_COLUMNS, type EvaluatorAccreditationRow } from '../tables/registry.columns';
import { selectColumns } from '../tables/table-columns';

type CredentialRow = EvaluatorAccreditationRow;

/**
 * `valid_from` is read through to_jsonb so that the query also answers
 * from a generation built before the column existed (the active one while a
 * rebuild of the registry catches up, after an upgrade).
 */
const CREDENTIAL_COLUMNS = selectColumns(
  EVALUATOR_ACCREDITATION_COLUMNS,
  'a',
  ['evaluator_id', 'standard_code', 'position', 'provider_id', 'credential_folio', 'valid_from', 'valid_until', 'accredited_at', 'revoked_at', 'revocation_reason', 'revoked_position'],
  { valid_from: "to_jsonb(a) ->> 'valid_from'" },
);

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
    return inReadSnapshot(this.dataSource, ['registry'], (reader) => standingOn(reader, evaluatorId, standardCode, instant, atPosition, providerId));
  }
}

/** The standing read through `reader` (a snapshot of the caller's); see AccreditationQueries.evaluatorOn. */
export async function standingOn(
  reader: ReadModelReader,
  evaluatorId: string,
  standardCode: string,
  instant: string,
  atPosition?: string,
  providerId?: string,
): Promise<AccreditationStanding> {
  const rows: CredentialRow[] = await reader.query(
    `SELECT ${CREDENTIAL_COLUMNS} FROM read_models.evaluator_accreditations a
      WHERE a.evaluator_id = $1 AND a.standard_code = $2
        AND ($3::bigint IS NULL OR a.position <= $3::bigint) AND ($4::text IS NULL OR a.provider_id = $4)
      ORDER BY a.position`,
    [evaluatorId, standardCode, atPosition ?? null, providerId ?? null],
  );
  const credentials = [...groupByProvider(rows).values()].map((own) => credentialOn(own, instant, atPosition));
  const inForce = credentials.filter((credential) => credential.inForce);
  const applied = inForce.at(-1) ?? [...credentials].sort((a, b) => Number(BigInt(a.position) - BigInt(b.position))).at(-1) ?? null;
  const accreditation = applied && withoutInForce(applied);
  return { evaluatorId, standardCode, on: instant, accredited: inForce.length > 0, accreditation, credentials };
}

function groupByProvider(rows: readonly CredentialRow[]): Map<string, CredentialRow[]> {
  const byProvider = new Map<string, CredentialRow[]>();
  for (const row of rows) byProvider.set(row.provider_id, [...(byProvider.get(row.provider_id) ?? []), row]);
  return byProvider;
}

/** One provider's rows, oldest first: the governing one on the date, else the latest granted (not in force). */
function credentialOn(rows: readonly CredentialRow[], instant: string, atPosition: string | undefined): CredentialOnDate {
  const date = isoDateOf(instant);
  const governing = rows.findLast((row) => startOf(row) <= date && date <= row.valid_until);
  const row = governing ?? rows[rows.length - 1];
  const revocationKnown = row.revoked_position !== null && (atPosition === undefined || BigInt(row.revoked_position) <= BigInt(atPosition));
  const revoked = revocationKnown && row.revoked_at !== null && row.revoked_at <= instant;
  return { ...accreditationOf(row), inForce: governing !== undefined && !revoked };
}

/** A row without a usable start (only events written outside the ledger, or an older generation) starts when it was recorded. */
function startOf(row: CredentialRow): string {
  return row.valid_from ?? row.accredited_at.slice(0, 10);
}

function withoutInForce({ inForce: _inForce, ...view }: CredentialOnDate): EvaluatorAccreditationView {
  return view;
}

function accreditationOf(row: CredentialRow): EvaluatorAccreditationView {
  return {
    evaluatorId: row.evaluator_id,
    standardCode: row.standard_code,
    credentialFolio: row.credential_folio,
    providerId: row.provider_id,
    validFrom: row.valid_from ?? startOf(row),
    accreditedAt: row.accredited_at,
    validUntil: row.valid_until,
    revokedAt: row.revoked_at,
    revocationReason: row.revocation_reason,
    position: row.position,
  };
}
