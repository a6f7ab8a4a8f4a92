import { plainToInstance } from 'class-transformer';
import { IsOptional, validateSync, type ValidationError } from 'class-validator';
import { isDomainError, parsePrintedFolio, type EvaluationResult } from '@ledger/domain';
import { fieldProblemsOf } from '../../platform/errors/field-problems';
import { EnrollCandidateRequest } from '../enroll-candidate/enroll-candidate.request.dto';
import { IssueCertificateRequest } from '../issue-certificate/issue-certificate.request.dto';
import { RecordEvaluationRequest } from '../record-evaluation/record-evaluation.request.dto';
import { RevokeCertificateRequest } from '../revoke-certificate/revoke-certificate.request.dto';

/**
 * A row of a national import (`ledger import certifications FILE.csv`): one
 * certification of the past, as far as it went. The columns, in any order
 * (a header names them; README "Import certifications"):
 *
 *   curp, full_name, agency, state, municipality?, employment, standard,
 *   provider_id, centre_id?, enrolled_at, status,
 *   evaluator_id?, evaluated_at?, evidence_digest?,
 *   issued_at?, printed_folio?, revoked_at?, revocation_reason?
 *
 * `status` says how far it went: enrolled, not_yet_competent, competent (judged,
 * no certificate), certified, revoked. Each status needs the columns of its
 * steps and refuses the columns of steps it did not reach. Empty cells are
 * absent values.
 */
export const IMPORT_COLUMNS = [
  'curp',
  'full_name',
  'agency',
  'state',
  'municipality',
  'employment',
  'standard',
  'provider_id',
  'centre_id',
  'enrolled_at',
  'status',
  'evaluator_id',
  'evaluated_at',
  'evidence_digest',
  'issued_at',
  'printed_folio',
  'revoked_at',
  'revocation_reason',
] as const;

export type ImportColumn = (typeof IMPORT_COLUMNS)[number];

export const IMPORT_STATUSES = ['enrolled', 'not_yet_competent', 'competent', 'certified', 'revoked'] as const;
export type ImportStatus = (typeof IMPORT_STATUSES)[number];

const REQUIRED: readonly ImportColumn[] = ['curp', 'full_name', 'agency', 'state', 'employment', 'standard', 'provider_id', 'enrolled_at', 'status'];
const OF_JUDGMENT: readonly ImportColumn[] = ['evaluator_id', 'evaluated_at'];
const OF_ISSUANCE: readonly ImportColumn[] = ['issued_at'];
const OF_REVOCATION: readonly ImportColumn[] = ['revoked_at', 'revocation_reason'];

/** What a row needs, and may hold, beyond REQUIRED, by how far it went. */
const STEPS_OF: Readonly<Record<ImportStatus, { needs: readonly ImportColumn[]; mayHold: readonly ImportColumn[] }>> = {
  enrolled: { needs: [], mayHold: [] },
  not_yet_competent: { needs: OF_JUDGMENT, mayHold: ['evidence_digest'] },
  competent: { needs: OF_JUDGMENT, mayHold: ['evidence_digest'] },
  certified: { needs: [...OF_JUDGMENT, ...OF_ISSUANCE], mayHold: ['evidence_digest', 'printed_folio'] },
  revoked: { needs: [...OF_JUDGMENT, ...OF_ISSUANCE, ...OF_REVOCATION], mayHold: ['evidence_digest', 'printed_folio'] },
};

/** The longest cell read: more is a mistake or an attack, refused before anything looks at it. */
export const MAX_CELL_LENGTH = 1_000;

/** A row's fields as the commands take them, each step's request checked as the API checks it. */
export interface ImportRow {
  readonly status: ImportStatus;
  readonly enrollment: EnrollCandidateRequest;
  /** The organization that enrolled (an evaluation centre), the provider itself when absent. */
  readonly centreId?: string;
  readonly judgment?: { readonly evaluatorId: string; readonly result: EvaluationResult; readonly evaluatedAt: string; readonly evidenceDigest?: string };
  readonly issuance?: { readonly issuedAt: string; readonly printedFolio?: string };
  readonly revocation?: { readonly revokedAt: string; readonly reason: string };
}

/** Why a row was refused: the column (when one is to blame), a code, and words for the operator. */
export interface RowProblem {
  readonly column?: string;
  readonly code: string;
  readonly message: string;
}

/** The API field each column feeds, so the API's and the domain's words about a field name the column. */
const COLUMN_OF_FIELD: Readonly<Record<string, ImportColumn>> = {
  curp: 'curp',
  fullName: 'full_name',
  agency: 'agency',
  'jurisdiction.state': 'state',
  'jurisdiction.municipality': 'municipality',
  jurisdiction: 'state',
  state: 'state',
  municipality: 'municipality',
  employment: 'employment',
  standardCode: 'standard',
  providerId: 'provider_id',
  centreId: 'centre_id',
  enrolledAt: 'enrolled_at',
  evaluatorId: 'evaluator_id',
  evaluatedAt: 'evaluated_at',
  evidenceDigest: 'evidence_digest',
  issuedAt: 'issued_at',
  printedFolio: 'printed_folio',
  revokedAt: 'revoked_at',
  reason: 'revocation_reason',
};

export function columnOfField(field: unknown): string | undefined {
  return typeof field === 'string' && Object.hasOwn(COLUMN_OF_FIELD, field) ? COLUMN_OF_FIELD[field] : undefined;
}

/** The header's problems: a column it lacks, one it does not know, one it names twice. */
export function headerProblems(header: readonly string[]): RowProblem[] {
  const problems: RowProblem[] = [];
  const known = new Set<string>(IMPORT_COLUMNS);
  const seen = new Set<string>();
  for (const name of header) {
    if (!known.has(name)) problems.push({ column: JSON.stringify(name), code: 'UNKNOWN_COLUMN', message: `unknown column; known: ${IMPORT_COLUMNS.join(', ')}` });
    if (seen.has(name)) problems.push({ column: name, code: 'DUPLICATE_COLUMN', message: 'the header names this column twice' });
    seen.add(name);
  }
  for (const column of REQUIRED) if (!seen.has(column)) problems.push({ column, code: 'MISSING_COLUMN', message: 'the header lacks this column' });
  return problems;
}

/** A judgment as an import brings it: the evidence digest only when the registry kept one. */
class ImportedJudgmentRequest extends RecordEvaluationRequest {
  @IsOptional()
  declare evidenceDigest: string;
}

/** One row (a record keyed by the header's names) as an ImportRow, or every problem found in it. */
export function parseImportRow(record: Readonly<Record<string, string | undefined>>): { row: ImportRow } | { problems: RowProblem[] } {
  const cell = (column: ImportColumn): string | undefined => {
    const value = record[column];
    return value === undefined || value.trim() === '' ? undefined : value;
  };
  const problems: RowProblem[] = [];
  for (const column of IMPORT_COLUMNS) {
    if ((record[column]?.length ?? 0) > MAX_CELL_LENGTH) problems.push({ column, code: 'CELL_TOO_LONG', message: `longer than ${MAX_CELL_LENGTH} characters` });
  }
  if (problems.length > 0) return { problems };
  const status = cell('status')?.trim() as ImportStatus | undefined;
  if (status === undefined || !IMPORT_STATUSES.includes(status)) {
    return { problems: [{ column: 'status', code: 'INVALID_STATUS', message: `must be one of ${IMPORT_STATUSES.join(', ')}` }] };
  }
  const steps = STEPS_OF[status];
  for (const column of [...REQUIRED, ...steps.needs]) {
    if (cell(column) === undefined) problems.push({ column, code: 'REQUIRED', message: `required for a row whose status is ${status}` });
  }
  const reached = new Set<ImportColumn>([...REQUIRED, ...steps.needs, ...steps.mayHold, 'municipality', 'centre_id']);
  for (const column of IMPORT_COLUMNS) {
    if (!reached.has(column) && cell(column) !== undefined) {
      problems.push({ column, code: 'STEP_NOT_REACHED', message: `a row whose status is ${status} did not reach the step this column records` });
    }
  }
  if (problems.length > 0) return { problems };

  const municipality = cell('municipality');
  const enrollment = checked(EnrollCandidateRequest, {
    curp: cell('curp'),
    fullName: cell('full_name'),
    standardCode: cell('standard'),
    providerId: cell('provider_id'),
    agency: cell('agency'),
    jurisdiction: { state: cell('state'), ...(municipality === undefined ? {} : { municipality }) },
    employment: cell('employment'),
    enrolledAt: cell('enrolled_at'),
  });
  const centreId = cell('centre_id');
  const centre = centreId === undefined ? undefined : checked(EnrollCandidateRequest, { providerId: centreId }, ['providerId'], 'centreId');
  const judged = status !== 'enrolled';
  const result: EvaluationResult = status === 'not_yet_competent' ? 'not_yet_competent' : 'competent';
  const evidenceDigest = cell('evidence_digest');
  const judgment = judged
    ? checked(ImportedJudgmentRequest, { result, evaluatedAt: cell('evaluated_at'), ...(evidenceDigest === undefined ? {} : { evidenceDigest }) })
    : undefined;
  const evaluatorId = judged ? checked(EnrollCandidateRequest, { providerId: cell('evaluator_id') }, ['providerId'], 'evaluatorId') : undefined;
  const issued = status === 'certified' || status === 'revoked';
  const issuance = issued ? checked(IssueCertificateRequest, { issuedAt: cell('issued_at') }) : undefined;
  const revocation = status === 'revoked' ? checked(RevokeCertificateRequest, { reason: cell('revocation_reason'), revokedAt: cell('revoked_at') }) : undefined;
  for (const outcome of [enrollment, centre, judgment, evaluatorId, issuance, revocation]) if (outcome && 'problems' in outcome) problems.push(...outcome.problems);
  if (problems.length > 0) return { problems };

  const printedFolio = cell('printed_folio');
  if (printedFolio !== undefined) {
    try {
      parsePrintedFolio(printedFolio);
    } catch (error) {
      if (!isDomainError(error)) throw error;
      return { problems: [{ column: 'printed_folio', code: error.code, message: error.message }] };
    }
  }
  const value = <T>(outcome: { value: T } | { problems: RowProblem[] } | undefined) => (outcome && 'value' in outcome ? outcome.value : undefined);
  return {
    row: {
      status,
      enrollment: value(enrollment)!,
      ...(centreId === undefined ? {} : { centreId: centreId.trim() }),
      ...(judged
        ? {
            judgment: {
              evaluatorId: cell('evaluator_id')!.trim(),
              result,
              evaluatedAt: value(judgment)!.evaluatedAt,
              ...(evidenceDigest === undefined ? {} : { evidenceDigest: value(judgment)!.evidenceDigest }),
            },
          }
        : {}),
      ...(issued ? { issuance: { issuedAt: value(issuance)!.issuedAt!, ...(printedFolio === undefined ? {} : { printedFolio }) } } : {}),
      ...(status === 'revoked' ? { revocation: { revokedAt: value(revocation)!.revokedAt!, reason: value(revocation)!.reason } } : {}),
    },
  };
}

/**
 * The request a step would send, checked by the same rules as the API's
 * (request-validation.ts): shapes, lengths, text. `only` limits the check to
 * some properties (one field checked by another request's rule); `as` names
 * that field in the problem.
 */
function checked<T extends object>(
  type: new () => T,
  plain: Record<string, unknown>,
  only?: readonly string[],
  as?: string,
): { value: T } | { problems: RowProblem[] } {
  const defined = Object.fromEntries(Object.entries(plain).filter(([, value]) => value !== undefined));
  const instance = plainToInstance(type, defined);
  const errors = validateSync(instance, { forbidUnknownValues: true, validationError: { target: false, value: false } });
  const relevant = only ? errors.filter((error: ValidationError) => only.includes(error.property)) : errors;
  if (relevant.length === 0) return { value: instance };
  return {
    problems: fieldProblemsOf(relevant).map((problem) => {
      const field = as ?? problem.field;
      return { column: columnOfField(field) ?? field, code: problem.code, message: problem.message };
    }),
  };
}
