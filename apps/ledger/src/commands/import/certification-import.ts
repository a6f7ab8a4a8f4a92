import { Injectable } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import {
  certificationDecider,
  certificationStream,
  credentialStanding,
  Curp,
  evaluatorDecider,
  evaluatorStream,
  isDomainError,
  parseStandardCode,
  tryNormaliseInstant,
  type Actor,
  type EvaluatorState,
  type Role,
} from '@ledger/domain';
import type { CommandCaller } from '../../platform/idempotency/command-caller';
import { childCommandId, uuidV5 } from '../../platform/idempotency/command-ids';
import { EnrollCandidateCommand, type EnrollmentResponse } from '../enroll-candidate/enroll-candidate.command';
import { IssueCertificateCommand, type CertificateResponse } from '../issue-certificate/issue-certificate.command';
import { RecordEvaluationCommand } from '../record-evaluation/record-evaluation.command';
import { RevokeCertificateCommand } from '../revoke-certificate/revoke-certificate.command';
import { EventSourcedRepository } from '../shared/event-sourced-repository';
import { SubjectIds } from '../shared/keyed-ids';
import { LedgerClock } from '../../platform/clock/ledger-clock';
import { columnOfField, parseImportRow, type ImportRow, type RowProblem } from './import-row';

/** Evaluator states the pre-check keeps for a run at most (an archive names tens or hundreds). */
const MAX_CACHED_EVALUATORS = 10_000;

/** The actor id of what an import records for a registrar or a certifier: the operator's run, not a person. */
export const IMPORT_ACTOR_ID = 'ledger-import';

/** A row as read from the file: its line there (for the operator) and its cells by column. */
export interface ImportRecord {
  readonly line: number;
  readonly cells: Readonly<Record<string, string | undefined>>;
}

export type RowOutcome =
  | { readonly line: number; readonly accepted: true; readonly processId: string; readonly folio?: string }
  | { readonly line: number; readonly accepted: false; readonly step: ImportStep; readonly problems: readonly RowProblem[] };

export type ImportStep = 'row' | 'enrollment' | 'judgment' | 'issuance' | 'revocation';

/**
 * Brings historical certifications into the ledger through the command
 * handlers, so every rule of the domain holds as for the API: the CURP, the
 * provider's accreditation on the enrollment date, the evaluator's credential
 * in force on the judgment's date, one open certification per person and
 * standard, dates in order. Each row becomes the commands of the steps it
 * reached (enroll, judge, issue, revoke), under the authority the API would
 * ask for: a registrar of the enrolling centre, the evaluator acting for the
 * provider, a certifier of the provider. The run is in every event's
 * metadata (its correlation id) and, where an import records what the API
 * never does (a judgment without an evidence digest, a printed folio), in
 * the event.
 *
 * Idempotent: a row's command ids derive from the person's subject id (a
 * keyed hash of the CURP, never the CURP), the standard, the provider and
 * the enrollment date, so importing the same row again finds its commands
 * done and writes nothing; a row refused once and corrected is imported when
 * the file is imported again.
 *
 * Before writing anything for a row it checks, beside the request shapes,
 * what would otherwise refuse a later step after the enrollment was written:
 * dates in order, and the evaluator's credential in force on the judgment
 * date (and not the candidate's own). A row can still stop half-way on what
 * changed meanwhile (a credential revoked during the run); importing the
 * file again completes it.
 */
@Injectable()
export class CertificationImport {
  constructor(
    private readonly commandBus: CommandBus,
    private readonly repository: EventSourcedRepository,
    private readonly subjectIds: SubjectIds,
    private readonly clock: LedgerClock,
  ) {}

  /** The id of a run of a file: the same file (by its SHA-256) is the same run, so its events correlate. */
  static runIdOf(fileSha256: string): string {
    return uuidV5(`import:certifications:${fileSha256}`);
  }

  /**
   * Imports every record, `concurrency` rows at a time (the rows of one CURP
   * one after another, in file order), calling `onRow` as each is done (in
   * completion order). Evaluator states are read once per run for the
   * pre-check; the handlers read them again when they decide.
   */
  async importRecords(
    records: AsyncIterable<ImportRecord> | Iterable<ImportRecord>,
    options: { runId: string; concurrency: number; onRow: (outcome: RowOutcome) => void },
  ): Promise<void> {
    const evaluators = new Map<string, Promise<EvaluatorState>>();
    const evaluatorOf = (id: string) => {
      let state = evaluators.get(id);
      if (!state) {
        // A file naming endless evaluator ids must not grow this without bound: it is only a cache.
        if (evaluators.size >= MAX_CACHED_EVALUATORS) evaluators.clear();
        state = this.repository.load(evaluatorStream(id), evaluatorDecider).then((loaded) => loaded.state);
        evaluators.set(id, state);
      }
      return state;
    };
    // The rows of one person go in file order (a certification, its expiry, a new one), whatever runs beside them.
    const lastOfPerson = new Map<string, Promise<unknown>>();
    const inFlight = new Set<Promise<void>>();
    for await (const record of records) {
      const person = (record.cells.curp ?? '').trim().toUpperCase();
      const before = lastOfPerson.get(person) ?? Promise.resolve();
      const task = before.then(() => this.importRecord(record, options.runId, evaluatorOf)).then(options.onRow);
      lastOfPerson.set(person, task);
      const tracked: Promise<void> = task.finally(() => {
        inFlight.delete(tracked);
        if (lastOfPerson.get(person) === task) lastOfPerson.delete(person);
      });
      inFlight.add(tracked);
      if (inFlight.size >= options.concurrency) await Promise.race(inFlight);
    }
    await Promise.all(inFlight);
  }

  private async importRecord(record: ImportRecord, runId: string, evaluatorOf: (id: string) => Promise<EvaluatorState>): Promise<RowOutcome> {
    const { line } = record;
    const parsed = parseImportRow(record.cells);
    if ('problems' in parsed) return { line, accepted: false, step: 'row', problems: parsed.problems };
    const { row } = parsed;
    let step: ImportStep = 'row';
    try {
      const curp = Curp.parse(row.enrollment.curp);
      const subjectId = this.subjectIds.ofEpoch(curp, 0);
      const before = datesOutOfOrder(row, this.clock.now().getTime()) ?? (await this.judgmentRefusal(row, subjectId, evaluatorOf));
      if (before) return { line, accepted: false, step: 'row', problems: [before] };
      const rowCommand = uuidV5(`import:certification:${subjectId}:${row.enrollment.standardCode}:${row.enrollment.providerId}:${row.enrollment.enrolledAt}`);
      const caller = (stepName: string, actor: Actor): CommandCaller => ({ actor, commandId: childCommandId(rowCommand, stepName), correlationId: runId, causationId: runId });
      const providerId = row.enrollment.providerId;
      const acting = (role: Role, id = IMPORT_ACTOR_ID, organizationId = providerId): Actor => ({ id, role, organizationId });

      step = 'enrollment';
      const enrolled: EnrollmentResponse = await this.commandBus.execute(
        new EnrollCandidateCommand(caller('enroll', acting('registrar', IMPORT_ACTOR_ID, row.centreId ?? providerId)), row.enrollment),
      );
      const { processId } = enrolled;
      // Steps a run of this file already took are skipped (a revoked certificate cannot be issued "again").
      const { state } = await this.repository.load(certificationStream(processId), certificationDecider);
      const issuedBefore = state.status === 'certified' || state.status === 'revoked' ? state.certificate.folio : undefined;
      if (row.judgment && issuedBefore === undefined && state.status !== 'evaluated') {
        step = 'judgment';
        const { evaluatorId, result, evaluatedAt, evidenceDigest } = row.judgment;
        await this.commandBus.execute(
          new RecordEvaluationCommand(caller('judge', acting('evaluator', evaluatorId)), processId, {
            result,
            evaluatedAt,
            ...(evidenceDigest === undefined ? {} : { evidenceDigest }),
            importRun: runId,
          }),
        );
      }
      let folio = issuedBefore;
      if (row.issuance && folio === undefined) {
        step = 'issuance';
        const { issuedAt, printedFolio } = row.issuance;
        const certificate: CertificateResponse = await this.commandBus.execute(
          new IssueCertificateCommand(caller('issue', acting('certifier')), processId, { issuedAt }, { importRun: runId, ...(printedFolio === undefined ? {} : { printedFolio }) }),
        );
        folio = certificate.folio;
      }
      if (row.revocation && folio !== undefined && state.status !== 'revoked') {
        step = 'revocation';
        await this.commandBus.execute(new RevokeCertificateCommand(caller('revoke', acting('certifier')), folio, row.revocation));
      }
      return { line, accepted: true, processId, ...(folio === undefined ? {} : { folio }) };
    } catch (error) {
      if (!isDomainError(error)) throw error;
      const field = error.details?.field;
      const column = columnOfField(field) ?? (step === 'row' ? 'curp' : undefined);
      return { line, accepted: false, step, problems: [{ ...(column === undefined ? {} : { column }), code: error.code, message: error.message }] };
    }
  }

  /** What would refuse the judgment once the enrollment is written: no credential in force that day, or the candidate's own. */
  private async judgmentRefusal(row: ImportRow, subjectId: string, evaluatorOf: (id: string) => Promise<EvaluatorState>): Promise<RowProblem | undefined> {
    if (!row.judgment) return undefined;
    const evaluatedAt = tryNormaliseInstant(row.judgment.evaluatedAt);
    if (evaluatedAt === null) return undefined; // the domain names the flaw when it decides
    const evaluator = await evaluatorOf(row.judgment.evaluatorId);
    const standing = credentialStanding(evaluator, parseStandardCode(row.enrollment.standardCode), row.enrollment.providerId, evaluatedAt);
    if (!standing.usable) {
      return {
        column: 'evaluator_id',
        code: 'EVALUATOR_NOT_ACCREDITED',
        message: `the evaluator holds no credential of the provider in force for the standard on ${evaluatedAt.slice(0, 10)} (${standing.reason})`,
      };
    }
    if (evaluator.status === 'registered' && evaluator.subjectId === subjectId) {
      return { column: 'evaluator_id', code: 'CONFLICT_OF_INTEREST', message: 'an evaluator cannot judge their own process' };
    }
    return undefined;
  }
}

/** The first step dated in the future or before the one it follows (enrolled ≤ evaluated ≤ issued ≤ revoked), as the domain would refuse it later. */
function datesOutOfOrder(row: ImportRow, now: number): RowProblem | undefined {
  const steps: [string, string | undefined][] = [
    ['enrolled_at', row.enrollment.enrolledAt],
    ['evaluated_at', row.judgment?.evaluatedAt],
    ['issued_at', row.issuance?.issuedAt],
    ['revoked_at', row.revocation?.revokedAt],
  ];
  let previous: [string, string] | undefined;
  for (const [column, value] of steps) {
    if (value === undefined) continue;
    const instant = tryNormaliseInstant(value);
    if (instant === null) return { column, code: 'INVALID_DATE', message: 'not a real date or timestamp' };
    if (Date.parse(instant) > now) return { column, code: 'DATE_IN_FUTURE', message: 'in the future: the ledger records what happened' };
    if (previous && Date.parse(instant) < Date.parse(previous[1])) {
      return { column, code: 'DATE_BEFORE_PREVIOUS_STEP', message: `before ${previous[0]}` };
    }
    previous = [column, instant];
  }
  return undefined;
}
