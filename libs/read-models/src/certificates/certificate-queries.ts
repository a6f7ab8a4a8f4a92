import { Folio, isDomainError, parsePrintedFolio } from '@ledger/domain';
import type { DataSource } from 'typeorm';
import { decodeCursor, DEFAULT_PAGE_SIZE, pageOf, pageSize, type Page } from '../pagination';
import { invalidField, notFound } from '../query-error';
import { AnswerCache, type ReadModelChanges } from '../answer-cache';
import DataLoader from 'dataloader';
import { awaitFirstRead, inOneStatement, inOneStatementAt, outsideRequests, recordReadPosition } from '../read-position';
import { SqlConditions } from '../sql-builder';
import { addCertificateFilters, type CertificateFilters, type CertificateStatus, type CertificateViewer, type StatusSql } from './certificate-filters';
import { CERTIFICATE_COLUMNS, type CertificateRowOf } from '../tables/certificates.columns';
import { selectColumns } from '../tables/table-columns';

/** The printed folio as the import recorded it (NFC, spaces collapsed), or 400 naming printedFolio. */
function printedFolioOf(value: string): string {
  try {
    return parsePrintedFolio(value);
  } catch (error) {
    if (isDomainError(error)) throw invalidField('printedFolio', error.message);
    throw error;
  }
}

/** A certificate as API.md shapes it. */
export interface CertificateView {
  folio: string;
  status: CertificateStatus;
  standardCode: string;
  holderName: string | null;
  subjectId: string;
  providerId: string;
  evaluatorId: string;
  agency: string | null;
  jurisdiction: { state: string | null; municipality: string | null };
  employment: string | null;
  issuedAt: string;
  validUntil: string;
  revokedAt?: string;
  revocationReason?: string;
  /** The folio printed on a paper certificate an import brought; absent for certificates the ledger issued. */
  printedFolio?: string;
  position: string;
}

/** What anyone holding a folio may see: no CURP, no subjectId, no work data. */
export interface PublicCertificateView {
  folio: string;
  holderName: string | null;
  standardCode: string;
  standardTitle: string | null;
  providerId: string;
  providerName: string | null;
  issuedAt: string;
  validUntil: string;
  status: CertificateStatus;
  revokedAt?: string;
}

type CertificateRow = CertificateRowOf<(typeof LISTED)[number]> & { status: CertificateStatus; holder_name: string | null };


/** Status now: revoked wins, then expiry against the request's instant (a placeholder). */
export function currentStatusSql(alias: string, now: string): StatusSql {
  return {
    revoked: `${alias}.revoked_at IS NOT NULL`,
    expired: `(${alias}.revoked_at IS NULL AND ${alias}.valid_until < ${now}::timestamptz)`,
    valid: `(${alias}.revoked_at IS NULL AND ${alias}.valid_until >= ${now}::timestamptz)`,
  };
}

/** The holder's latest name (optionally as known at a position), by the name history's primary key. */
export function holderNameJoin(alias: string, atPositionParameter?: string): string {
  const known = atPositionParameter ? ` AND h.position <= ${atPositionParameter}` : '';
  return `LEFT JOIN LATERAL (
      SELECT h.full_name FROM read_models.holder_names h
       WHERE h.subject_id = ${alias}.subject_id${known} ORDER BY h.position DESC LIMIT 1) n ON TRUE`;
}

/** What certificate answers read: certificates, and holders' names. */
const CERTIFICATE_PROJECTIONS = ['certification', 'people'];
/** The public answer also names the standard and the provider. */
const VERIFICATION_PROJECTIONS = ['certification', 'people', 'registry'];

/** The certificate columns a view shows, selected from CERTIFICATE_COLUMNS; the holder's name comes from its own table. */
const LISTED = [
  'folio', 'standard_code', 'subject_id', 'provider_id', 'evaluator_id', 'agency', 'state', 'municipality', 'employment',
  'issued_at', 'valid_until', 'revoked_at', 'revocation_reason', 'printed_folio', 'issued_position', 'position',
] as const satisfies readonly (keyof typeof CERTIFICATE_COLUMNS)[];
const CERTIFICATE_SELECT = `${selectColumns(CERTIFICATE_COLUMNS, 'c', LISTED)}, n.full_name AS holder_name`;

/** A public verification as read, with the position it was read at (what AnswerCache keeps). */
interface Verification {
  readonly view: PublicCertificateView;
  readonly position: string;
  /** When a valid certificate's answer turns expired (validUntil, in ms); for the others the clock changes nothing. */
  readonly validUntilMs: number;
}

/** A page of certificates as read, with what AnswerCache keeps beside it. */
interface ListedPage {
  readonly page: Page<CertificateView>;
  readonly position: string;
  /** The page's statuses hold while the clock is within these (ms): no valid row past its validUntil, no expired row before it. */
  readonly validFromMs: number;
  readonly validUntilMs: number;
}

export interface CertificateQueriesOptions {
  /**
   * With `changes`, public verifications are kept while nothing they were
   * read from can have changed (AnswerCache), up to `publicAnswers` of them
   * (none when it is 0 or not given), and so are up to `listAnswers` pages
   * of certificates (none when 0 or not given).
   */
  readonly changes?: ReadModelChanges;
  readonly publicAnswers?: number;
  readonly listAnswers?: number;
}

export class CertificateQueries {
  private readonly verifications?: AnswerCache<Verification>;
  private readonly pages?: AnswerCache<ListedPage>;
  private readonly lookups: DataLoader<VerificationAsked, VerificationFound>;

  constructor(
    private readonly dataSource: DataSource,
    options: CertificateQueriesOptions = {},
  ) {
    this.lookups = verificationLookups(dataSource);
    const kept = options.publicAnswers ?? 0;
    this.verifications = options.changes && kept > 0 ? new AnswerCache<Verification>(options.changes, VERIFICATION_PROJECTIONS, kept) : undefined;
    const pages = options.listAnswers ?? 0;
    this.pages = options.changes && pages > 0 ? new AnswerCache<ListedPage>(options.changes, CERTIFICATE_PROJECTIONS, pages) : undefined;
  }

  /**
   * A page of certificates in issue order. Beside the filters stats and
   * reports share, a list may ask for the certificate of a printed folio
   * (an imported paper certificate), read as the import recorded it.
   */
  async list(
    filters: CertificateFilters & { readonly printedFolio?: string },
    viewer: CertificateViewer,
    page: { limit?: number; cursor?: string },
    now = new Date().toISOString(),
  ): Promise<Page<CertificateView>> {
    // The parameters are judged first, so that a malformed request is refused at once, never after a wait for minPosition.
    const statement = this.pageStatement(filters, viewer, page, now);
    // A status filter picks rows by the clock: such pages change without any event.
    if (!this.pages || filters.status !== undefined) return (await this.readPage(statement)).page;
    const at = Date.parse(now);
    const key = JSON.stringify([filters, viewer, page.limit ?? null, page.cursor ?? null]);
    const stands = (listed: ListedPage) => listed.validFromMs < at && at <= listed.validUntilMs;
    // Pages of up to the default size are kept (512 of them: some 18 MB); a page of 500 is read each time.
    const small = (listed: ListedPage) => listed.page.items.length <= DEFAULT_PAGE_SIZE;
    return (await this.pages.answer(key, () => this.readPage(statement), stands, small)).page;
  }

  private pageStatement(
    filters: CertificateFilters & { readonly printedFolio?: string },
    viewer: CertificateViewer,
    page: { limit?: number; cursor?: string },
    now: string,
  ): { sql: string; values: readonly unknown[]; limit: number } {
    const limit = pageSize(page.limit);
    const printedFolio = filters.printedFolio === undefined ? undefined : printedFolioOf(filters.printedFolio);
    const where = new SqlConditions();
    const status = currentStatusSql('c', where.parameters.add(now));
    addCertificateFilters(where, 'c', filters, viewer, status);
    where.whereIf(printedFolio, 'c.printed_folio = ?');
    where.whereIf(decodeCursor(page.cursor), 'c.issued_position > ?::bigint');
    return {
      sql: `SELECT ${statusColumn(status)}, ${CERTIFICATE_SELECT}
         FROM read_models.certificates c ${holderNameJoin('c')}
        WHERE ${where.sql} ORDER BY c.issued_position LIMIT ${limit + 1}`,
      values: where.parameters.values,
      limit,
    };
  }

  private async readPage(statement: { sql: string; values: readonly unknown[]; limit: number }): Promise<ListedPage> {
    const { rows, position } = await inOneStatementAt<CertificateRow>(this.dataSource, CERTIFICATE_PROJECTIONS, statement.sql, statement.values);
    const listed = pageOf(rows, statement.limit, certificateOf, (row) => row.issued_position);
    // Revoked rows hold whatever the clock says; a valid one until its validUntil, an expired one from just after it.
    let validFromMs = -Infinity;
    let validUntilMs = Infinity;
    for (const item of listed.items) {
      const until = Date.parse(item.validUntil);
      if (item.status === 'valid') validUntilMs = Math.min(validUntilMs, until);
      else if (item.status === 'expired') validFromMs = Math.max(validFromMs, until);
    }
    return { page: listed, position: position.toString(), validFromMs, validUntilMs };
  }

  async byFolio(input: string, viewer: CertificateViewer, now = new Date().toISOString()): Promise<CertificateView> {
    const folio = Folio.parse(input).value;
    const where = new SqlConditions();
    const status = currentStatusSql('c', where.parameters.add(now));
    where.where('c.folio = ?', folio).whereIf(viewer.ownProviderId, 'c.provider_id = ?').whereIf(viewer.state, 'c.state = ?');
    const [row] = await inOneStatement<CertificateRow>(
      this.dataSource,
      CERTIFICATE_PROJECTIONS,
      `SELECT ${statusColumn(status)}, ${CERTIFICATE_SELECT} FROM read_models.certificates c ${holderNameJoin('c')} WHERE ${where.sql}`,
      where.parameters.values,
    );
    // Another provider's certificate answers like a missing one: its existence is not the caller's business.
    if (!row) throw notFound('CERTIFICATE_NOT_FOUND', `No certificate with folio ${folio}`);
    return certificateOf(row);
  }

  /**
   * Public verification. The folio is checked first, so a mistyped one (its
   * check character disagrees: FOLIO_CHECK) is told apart from a well-typed
   * one the registry does not hold (404).
   */
  async verify(input: string, now = new Date().toISOString()): Promise<PublicCertificateView> {
    const folio = Folio.parse(input).value;
    if (!this.verifications) return (await this.readVerification(folio, now)).view;
    const at = Date.parse(now);
    // Revoked stays revoked; valid holds up to validUntil and expired after it, as the status SQL compares them.
    const stands = ({ view, validUntilMs }: Verification) => view.status === 'revoked' || (view.status === 'valid' ? at <= validUntilMs : at > validUntilMs);
    return (await this.verifications.answer(folio, () => this.readVerification(folio, now), stands)).view;
  }

  /**
   * One verification read with the others asked in the same turn of the
   * event loop (verificationLookups), at the position they were read at,
   * recorded for this request as inOneStatementAt records it (a folio not
   * held too: the 404 names where the registry stood).
   */
  private async readVerification(folio: string, now: string): Promise<Verification> {
    await awaitFirstRead();
    const { verification, position } = await this.lookups.load({ folio, now });
    recordReadPosition(BigInt(position));
    if (!verification) throw notFound('CERTIFICATE_NOT_FOUND', `No certificate with folio ${folio} is registered`);
    return verification;
  }
}

/** A verification asked for: the folio, and the instant its status is read at. */
interface VerificationAsked {
  readonly folio: string;
  readonly now: string;
}

/** What the registry holds for a folio asked for (nothing when it holds none), and where it stood. */
interface VerificationFound {
  readonly verification?: Verification;
  readonly position: string;
}

/**
 * Public verifications asked for in the same turn of the event loop, read
 * in one named statement: under load a few dozen requests arrive between
 * two turns, and one round trip and one execution for all of them costs
 * PostgreSQL and pg about what one of them cost alone. Each folio keeps
 * its own instant (the status is read as of each request's now) and its
 * own answer; the statement's one snapshot gives them one position. The
 * batch runs outside any request's context: each request records the
 * position for itself (readVerification).
 */
export function verificationLookups(dataSource: DataSource): DataLoader<VerificationAsked, VerificationFound> {
  const status = currentStatusSql('c', 'q.now');
  const sql = `SELECT q.n::int AS asked, ${statusColumn(status)}, ${CERTIFICATE_SELECT}, s.title AS standard_title, p.name AS provider_name
      FROM unnest($1::text[], $2::text[]) WITH ORDINALITY AS q(folio, now, n)
      JOIN read_models.certificates c ON c.folio = q.folio
      ${holderNameJoin('c')}
      LEFT JOIN read_models.standards s ON s.code = c.standard_code
      LEFT JOIN read_models.providers p ON p.provider_id = c.provider_id`;
  const readBatch = async (asked: readonly VerificationAsked[]): Promise<VerificationFound[]> => {
    const { rows, position } = await inOneStatementAt<VerifiedRow>(
      dataSource,
      VERIFICATION_PROJECTIONS,
      sql,
      [asked.map((ask) => ask.folio), asked.map((ask) => ask.now)],
      'ledger_public_verifications',
    );
    const found: VerificationFound[] = asked.map(() => ({ position: position.toString() }));
    for (const row of rows) found[row.asked - 1] = { verification: verificationOf(row, position), position: position.toString() };
    return found;
  };
  return new DataLoader<VerificationAsked, VerificationFound>((asked) => outsideRequests(() => readBatch(asked)), {
    cache: false,
    maxBatchSize: MAX_VERIFICATIONS_PER_READ,
    // Requests from every connection that was readable in this turn, not only those of one socket's callback.
    batchScheduleFn: (read) => setImmediate(read),
  });
}

/** Folios per statement, at most: a turn under a flood of requests is read in several. */
const MAX_VERIFICATIONS_PER_READ = 128;

type VerifiedRow = CertificateRow & { asked: number; standard_title: string | null; provider_name: string | null };

function verificationOf(row: VerifiedRow, position: bigint): Verification {
  const view: PublicCertificateView = {
    folio: row.folio,
    holderName: row.holder_name,
    standardCode: row.standard_code,
    standardTitle: row.standard_title,
    providerId: row.provider_id,
    providerName: row.provider_name,
    issuedAt: row.issued_at,
    validUntil: row.valid_until,
    status: row.status,
    ...(row.revoked_at ? { revokedAt: row.revoked_at } : {}),
  };
  return { view, position: position.toString(), validUntilMs: Date.parse(row.valid_until) };
}

export function statusColumn(status: StatusSql): string {
  return `CASE WHEN ${status.revoked} THEN 'revoked' WHEN ${status.expired} THEN 'expired' ELSE 'valid' END AS status`;
}

function certificateOf(row: CertificateRow): CertificateView {
  return {
    folio: row.folio,
    status: row.status,
    standardCode: row.standard_code,
    holderName: row.holder_name,
    subjectId: row.subject_id,
    providerId: row.provider_id,
    evaluatorId: row.evaluator_id,
    agency: row.agency,
    jurisdiction: { state: row.state, municipality: row.municipality },
    employment: row.employment,
    issuedAt: row.issued_at,
    validUntil: row.valid_until,
    ...(row.revoked_at ? { revokedAt: row.revoked_at, revocationReason: row.revocation_reason ?? '' } : {}),
    ...(row.printed_folio !== null ? { printedFolio: row.printed_folio } : {}),
    position: row.position,
  };
}
