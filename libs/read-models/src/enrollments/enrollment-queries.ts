import type { DataSource } from 'typeorm';
import { eventsOfStream, type TimelineEntryView } from '../audit/audit-queries';
import { PROCESS_COLUMNS, type ProcessRowOf } from '../tables/processes.columns';
import { selectColumns } from '../tables/table-columns';
import { notFound } from '../query-error';
import { inReadSnapshot, type ReadModelReader } from '../read-position';

/** Who asks for a process: certifiers see their provider's, registrars their centre's (or provider's). */
export interface EnrollmentViewer {
  readonly role: string;
  readonly organizationId: string;
  /** A comptroller's state, when its token is scoped to one. */
  readonly jurisdiction?: string;
}

export interface EnrollmentView {
  processId: string;
  subjectId: string;
  standardCode: string;
  /** These five are null only for a process whose enrollment event did not hold them (written into the store by other means). */
  standardVersion: string | null;
  providerId: string;
  centreId: string | null;
  agency: string | null;
  jurisdiction: { state: string | null; municipality: string | null };
  employment: string | null;
  /** Null only for an enrollment recorded outside the ledger without a usable date. */
  enrolledAt: string | null;
  status: string;
  lastEvaluationResult: string | null;
  evaluatorId: string | null;
  evaluatedAt: string | null;
  folio: string | null;
  issuedAt: string | null;
  revokedAt: string | null;
  trainingHours: number;
  /** Every event of the process, in order, with who recorded it. */
  steps: TimelineEntryView[];
  position: string;
}

/** The process columns the enrollment view shows, selected from PROCESS_COLUMNS. */
const SHOWN = [
  'process_id', 'subject_id', 'standard_code', 'standard_version', 'provider_id', 'centre_id', 'agency', 'state', 'municipality', 'employment',
  'enrolled_at', 'status', 'last_result', 'evaluator_id', 'evaluated_at', 'folio', 'issued_at', 'revoked_at', 'position',
] as const satisfies readonly (keyof typeof PROCESS_COLUMNS)[];
const PROCESS_SELECT = selectColumns(PROCESS_COLUMNS, 'p', SHOWN);
type ProcessRow = ProcessRowOf<(typeof SHOWN)[number]>;

export class EnrollmentQueries {
  constructor(private readonly dataSource: DataSource) {}

  async byProcessId(processId: string, viewer: EnrollmentViewer): Promise<EnrollmentView> {
    return inReadSnapshot(this.dataSource, ['certification', 'audit'], (reader) => this.read(reader, processId, viewer));
  }

  private async read(reader: ReadModelReader, processId: string, viewer: EnrollmentViewer): Promise<EnrollmentView> {
    const [process] = (await reader.query(`SELECT ${PROCESS_SELECT} FROM read_models.processes p WHERE p.process_id = $1`, [processId])) as ProcessRow[];
    // A process outside the caller's organization answers like a missing one.
    if (!process || !mayView(viewer, process)) throw notFound('PROCESS_NOT_FOUND', 'No certification process with this id');
    const steps = await eventsOfStream(reader, `certification-${processId}`);
    const trainingHours = steps
      .filter((step) => step.type === 'TrainingRecorded')
      .reduce((sum, step) => sum + hoursOf(step.details.hours), 0);
    return {
      processId: process.process_id,
      subjectId: process.subject_id,
      standardCode: process.standard_code,
      standardVersion: process.standard_version,
      providerId: process.provider_id,
      centreId: process.centre_id,
      agency: process.agency,
      jurisdiction: { state: process.state, municipality: process.municipality },
      employment: process.employment,
      enrolledAt: process.enrolled_at,
      status: process.status,
      lastEvaluationResult: process.last_result,
      evaluatorId: process.evaluator_id,
      evaluatedAt: process.evaluated_at,
      folio: process.folio,
      issuedAt: process.issued_at,
      revokedAt: process.revoked_at,
      trainingHours,
      steps,
      position: process.position,
    };
  }
}

/** Hours as recorded; anything else in the log (a word, a negative) adds nothing. */
function hoursOf(hours: unknown): number {
  return typeof hours === 'number' && Number.isFinite(hours) && hours > 0 ? hours : 0;
}

function mayView(viewer: EnrollmentViewer, process: ProcessRow): boolean {
  if (viewer.role === 'comptroller') return viewer.jurisdiction === undefined || process.state === viewer.jurisdiction;
  if (viewer.role === 'certifier') return process.provider_id === viewer.organizationId;
  if (viewer.role === 'registrar') return process.centre_id === viewer.organizationId || process.provider_id === viewer.organizationId;
  return false;
}
