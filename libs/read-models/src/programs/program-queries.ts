import { isIsoDate, targetCount, type ProgramTarget } from '@ledger/domain';
import type { DataSource } from 'typeorm';
import type { AuditScope } from '../audit/audit-queries';
import { decodeCursor, encodeCursor, pageSize, type Page } from '../pagination';
import { reachedPosition } from '../projection-positions';
import { invalidField, notFound } from '../query-error';
import { awaitFirstRead, recordReadPosition } from '../read-position';
import { PROGRAM_TERM_COLUMNS, PROGRAM_TERMS_SELECTED, type ProgramTermsRowOf } from '../tables/programs.columns';
import { selectColumns } from '../tables/table-columns';

/** Progress reads programs and certificates, both as known at one position. */
export const PROGRAM_PROJECTIONS = ['programs', 'certification'] as const;

const DAY_MS = 86_400_000;

export interface ProgramView {
  programId: string;
  name: string;
  jurisdiction: { state: string; municipality: string | null };
  standards: string[];
  startsOn: string;
  endsOn: string;
  target: ProgramTarget;
  /** The number of certified public servants the target asks for (a share of the workforce, rounded up). */
  targetCount: number;
  launchedAt: string;
  /** Position of the program's latest event known. */
  position: string;
}

export interface ProgramListItem extends ProgramView {
  /** As of today, at the position the list was read at. */
  certified: number;
  shareOfTarget: number;
}

export interface ProgramAmendment {
  position: string;
  change: 'ProgramTargetChanged' | 'ProgramPeriodExtended';
  reason: string;
  changedAt: string;
  target: ProgramTarget;
  endsOn: string;
}

export interface MonthOfProgress {
  /** `YYYY-MM` (UTC). */
  month: string;
  /** Public servants whose first certificate counting towards the program was issued that month. */
  certified: number;
  cumulative: number;
}

export interface ProgramPace {
  /** Days of the period up to asOf (or its end), inclusive. */
  elapsedDays: number;
  remainingDays: number;
  certifiedPerDay: number;
  /** Certified by the end of the period if the pace so far holds. */
  projectedAtEnd: number;
  projectedShareOfTarget: number;
  onTrack: boolean;
  /** What each remaining day needs to reach the target; 0 once reached, null once the period is over. */
  neededPerDay: number | null;
}

export interface ProgramProgressView {
  program: ProgramView;
  amendments: ProgramAmendment[];
  /** The business date the progress describes. */
  asOf: string;
  /** The position it was computed at: the same asOf and position always give the same answer. */
  position: string;
  /** Distinct public servants with a certificate counting towards the program. */
  certified: number;
  /** Certificates counting towards it (a person may hold several standards of one program). */
  certificates: number;
  shareOfTarget: number;
  byMonth: MonthOfProgress[];
  /** Null before the period starts. */
  pace: ProgramPace | null;
}

export interface ProgressRequest {
  /** Business date `YYYY-MM-DD`; default today (UTC). */
  readonly asOf?: string;
  /** Knowledge time; default as far as the read models have got. */
  readonly atPosition?: bigint;
}

type TermsRow = ProgramTermsRowOf<ProgramTarget>;

const TERMS_COLUMNS = selectColumns(PROGRAM_TERM_COLUMNS, 'p', PROGRAM_TERMS_SELECTED);

/**
 * Programs and their progress, bitemporal like the transparency report: the
 * program's terms and the certificates as the ledger knew them at a position,
 * counted as they stood on a business date. Progress counts certificates of
 * the program's standards issued within its period (up to asOf) in its state
 * (and municipality, compared without regard to case), less those revoked on
 * or before asOf; each public servant once, in the month of the first.
 */
export class ProgramQueries {
  constructor(
    private readonly dataSource: DataSource,
    /** Waits until the read models reach a position, or throws the lag error. */
    private readonly waitForPosition: (position: bigint) => Promise<unknown>,
    private readonly today: () => string = () => new Date().toISOString().slice(0, 10),
  ) {}

  async list(page: { limit?: number; cursor?: string }, scope: AuditScope = {}): Promise<Page<ProgramListItem>> {
    const limit = pageSize(page.limit);
    const after = decodeCursor(page.cursor);
    const position = await this.positionFor(undefined);
    const values: unknown[] = [position.toString(), limit + 1];
    const where = ['p.position <= $1::bigint'];
    if (scope.state !== undefined) where.push(`state = $${values.push(scope.state)}`);
    const cursor = after === undefined ? '' : `WHERE launched_position::bigint > $${values.push(after)}::bigint`;
    const rows: TermsRow[] = await this.dataSource.query(
      `SELECT * FROM (
         SELECT DISTINCT ON (program_id) ${TERMS_COLUMNS} FROM read_models.program_terms p
          WHERE ${where.join(' AND ')} ORDER BY program_id, p.position DESC) t
        ${cursor} ORDER BY launched_position::bigint LIMIT $2`,
      values,
    );
    const asOf = this.today();
    const items: ProgramListItem[] = [];
    for (const row of rows.slice(0, limit)) {
      const program = programOf(row);
      const { certified } = await this.count(program, asOf, position);
      items.push({ ...program, certified, shareOfTarget: ratio(certified, program.targetCount) });
    }
    return { items, nextCursor: rows.length > limit ? encodeCursor(rows[limit - 1].launched_position) : null };
  }

  async progress(programId: string, request: ProgressRequest, scope: AuditScope = {}): Promise<ProgramProgressView> {
    const asOf = request.asOf === undefined || request.asOf === '' ? this.today() : request.asOf;
    if (!isIsoDate(asOf)) throw invalidField('asOf', 'asOf must be a calendar date YYYY-MM-DD');
    const position = await this.positionFor(request.atPosition);
    const at = position.toString();
    const [terms]: TermsRow[] = await this.dataSource.query(
      `SELECT ${TERMS_COLUMNS} FROM read_models.program_terms p WHERE program_id = $1 AND p.position <= $2::bigint ORDER BY p.position DESC LIMIT 1`,
      [programId, at],
    );
    // A scoped comptroller knows nothing of another state's programs, as of any other state's certificates.
    if (!terms || (scope.state !== undefined && terms.state !== scope.state)) {
      throw notFound('PROGRAM_NOT_FOUND', 'No program with this id was known at this position');
    }
    const program = programOf(terms);
    const amendments: ProgramAmendment[] = (
      await this.dataSource.query(
        `SELECT position::text, change, reason, read_models.iso_instant(changed_at) AS changed_at, target, to_char(ends_on, 'YYYY-MM-DD') AS ends_on
           FROM read_models.program_terms p WHERE program_id = $1 AND p.position <= $2::bigint AND change <> 'ProgramLaunched' ORDER BY p.position`,
        [programId, at],
      )
    ).map((row: { position: string; change: ProgramAmendment['change']; reason: string; changed_at: string; target: ProgramTarget; ends_on: string }) => ({
      position: row.position, change: row.change, reason: row.reason, changedAt: row.changed_at, target: row.target, endsOn: row.ends_on,
    }));
    const { certified, certificates, months } = await this.count(program, asOf, position);
    return {
      program,
      amendments,
      asOf,
      position: at,
      certified,
      certificates,
      shareOfTarget: ratio(certified, program.targetCount),
      byMonth: monthsOf(program, asOf, months),
      pace: paceOf(program, asOf, certified),
    };
  }

  /** The position to answer at: the one asked for (waited for when ahead), else as far as the read models have got. */
  private async positionFor(atPosition: bigint | undefined): Promise<bigint> {
    await awaitFirstRead();
    const reached = await reachedPosition(this.dataSource, PROGRAM_PROJECTIONS);
    const position = atPosition ?? reached;
    if (position > reached) await this.waitForPosition(position);
    recordReadPosition(position);
    return position;
  }

  private async count(program: ProgramView, asOf: string, position: bigint): Promise<{ certified: number; certificates: number; months: Map<string, number> }> {
    const lastDay = asOf < program.endsOn ? asOf : program.endsOn;
    if (asOf < program.startsOn) return { certified: 0, certificates: 0, months: new Map() };
    const values: unknown[] = [
      position.toString(),
      `${program.startsOn}T00:00:00.000Z`,
      endOfDay(lastDay),
      endOfDay(asOf),
      program.jurisdiction.state,
      program.standards,
    ];
    const municipality = program.jurisdiction.municipality === null ? '' : `AND lower(c.municipality) = lower($${values.push(program.jurisdiction.municipality)})`;
    const rows: { month: string | null; certified: number; certificates: number }[] = await this.dataSource.query(
      `WITH counted AS (
         SELECT c.subject_id, c.issued_at FROM read_models.certificates c
          WHERE c.issued_position <= $1::bigint AND c.issued_at >= $2::timestamptz AND c.issued_at < $3::timestamptz
            AND c.state = $5 ${municipality} AND c.standard_code = ANY($6::text[])
            AND NOT COALESCE(c.revoked_position <= $1::bigint AND c.revoked_at < $4::timestamptz, false)),
       firsts AS (SELECT min(issued_at) AS first FROM counted GROUP BY subject_id)
       SELECT NULL AS month, 0 AS certified, (SELECT count(*) FROM counted)::int AS certificates
       UNION ALL
       SELECT to_char(first AT TIME ZONE 'UTC', 'YYYY-MM'), count(*)::int, 0 FROM firsts GROUP BY 1`,
      values,
    );
    const months = new Map<string, number>();
    let certified = 0;
    for (const row of rows) {
      if (row.month === null) continue;
      months.set(row.month, row.certified);
      certified += row.certified;
    }
    return { certified, certificates: rows.find((row) => row.month === null)?.certificates ?? 0, months };
  }
}

function programOf(row: TermsRow): ProgramView {
  return {
    programId: row.program_id,
    name: row.name,
    jurisdiction: { state: row.state, municipality: row.municipality },
    standards: row.standards,
    startsOn: row.starts_on,
    endsOn: row.ends_on,
    target: row.target,
    targetCount: targetCount(row.target),
    launchedAt: row.launched_at,
    position: row.position,
  };
}

const endOfDay = (date: string): string => new Date(Date.parse(`${date}T00:00:00.000Z`) + DAY_MS).toISOString();
const daysFrom = (from: string, to: string): number => Math.round((Date.parse(`${to}T00:00:00.000Z`) - Date.parse(`${from}T00:00:00.000Z`)) / DAY_MS) + 1;
const ratio = (part: number, whole: number): number => Math.round((part / whole) * 10_000) / 10_000;

/** Every month of the period up to asOf, those without a certificate included, with the running total. */
function monthsOf(program: ProgramView, asOf: string, counts: ReadonlyMap<string, number>): MonthOfProgress[] {
  if (asOf < program.startsOn) return [];
  const last = (asOf < program.endsOn ? asOf : program.endsOn).slice(0, 7);
  const months: MonthOfProgress[] = [];
  let cumulative = 0;
  for (let [year, month] = program.startsOn.split('-').map(Number); ; ) {
    const key = `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}`;
    const certified = counts.get(key) ?? 0;
    cumulative += certified;
    months.push({ month: key, certified, cumulative });
    if (key >= last) return months;
    month += 1;
    if (month > 12) [year, month] = [year + 1, 1];
  }
}

function paceOf(program: ProgramView, asOf: string, certified: number): ProgramPace | null {
  if (asOf < program.startsOn) return null;
  const totalDays = daysFrom(program.startsOn, program.endsOn);
  const elapsedDays = Math.min(totalDays, daysFrom(program.startsOn, asOf));
  const remainingDays = totalDays - elapsedDays;
  const projectedAtEnd = remainingDays === 0 ? certified : Math.round((certified * totalDays) / elapsedDays);
  const missing = Math.max(0, program.targetCount - certified);
  return {
    elapsedDays,
    remainingDays,
    certifiedPerDay: Math.round((certified / elapsedDays) * 100) / 100,
    projectedAtEnd,
    projectedShareOfTarget: ratio(projectedAtEnd, program.targetCount),
    onTrack: projectedAtEnd >= program.targetCount,
    neededPerDay: remainingDays === 0 ? null : Math.ceil((missing / remainingDays) * 100) / 100,
  };
}
