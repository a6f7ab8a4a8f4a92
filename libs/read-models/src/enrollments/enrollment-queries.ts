import type { DataSource } from 'typeorm';
import { eventsOfStream, type TimelineEntryView } from '../audit/audit-queries';
import { ProcessEntity } from '../entities/process.entity';
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
  standardVersion: string;
  providerId: string;
  centreId: string;
  agency: string;
  jurisdiction: { state: string; municipality: string | null };
  employment: string;
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

export class EnrollmentQueries {
  constructor(private readonly dataSource: DataSource) {}

  async byProcessId(processId: string, viewer: EnrollmentViewer): Promise<EnrollmentView> {
    return inReadSnapshot(this.dataSource, ['certification', 'audit'], (reader) => this.read(reader, processId, viewer));
  }

  private async read(reader: ReadModelReader, processId: string, viewer: EnrollmentViewer): Promise<EnrollmentView> {
    const process = await reader.getRepository(ProcessEntity).findOneBy({ processId });
    // A process outside the caller's organization answers like a missing one.
    if (!process || !mayView(viewer, process)) throw notFound('PROCESS_NOT_FOUND', 'No certification process with this id');
    const steps = await eventsOfStream(reader, `certification-${processId}`);
    const trainingHours = steps
      .filter((step) => step.type === 'TrainingRecorded')
      .reduce((sum, step) => sum + hoursOf(step.details.hours), 0);
    return {
      processId: process.processId,
      subjectId: process.subjectId,
      standardCode: process.standardCode,
      standardVersion: process.standardVersion,
      providerId: process.providerId,
      centreId: process.centreId,
      agency: process.agency,
      jurisdiction: { state: process.state, municipality: process.municipality },
      employment: process.employment,
      enrolledAt: process.enrolledAt?.toISOString() ?? null,
      status: process.status,
      lastEvaluationResult: process.lastResult,
      evaluatorId: process.evaluatorId,
      evaluatedAt: process.evaluatedAt?.toISOString() ?? null,
      folio: process.folio,
      issuedAt: process.issuedAt?.toISOString() ?? null,
      revokedAt: process.revokedAt?.toISOString() ?? null,
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

function mayView(viewer: EnrollmentViewer, process: ProcessEntity): boolean {
  if (viewer.role === 'comptroller') return viewer.jurisdiction === undefined || process.state === viewer.jurisdiction;
  if (viewer.role === 'certifier') return process.providerId === viewer.organizationId;
  if (viewer.role === 'registrar') return process.centreId === viewer.organizationId || process.providerId === viewer.organizationId;
  return false;
}
