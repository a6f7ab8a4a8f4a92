import { credentialStanding, type CredentialStanding } from '../evaluator/evaluator.state';
import type { Actor } from '../shared/actor';
import { assertNever, type Decider } from '../shared/decider';
import { DomainError, ensure } from '../shared/domain-error';
import { parseEvidenceDigest } from '../shared/evidence-digest';
import { Folio } from '../shared/folio';
import { parsePrintedFolio } from '../shared/printed-folio';
import { businessInstant, ensureNotBefore, requireId, requireRole, requireText, revocationReason } from '../shared/guards';
import { addYearsToInstant } from '../shared/iso-date';
import { parseStandardCode } from '../shared/standard-code';
import { parseJurisdiction } from '../shared/states';
import type {
  CertificationCommand,
  EnrollCandidate,
  IssueCertificate,
  RecordEvaluation,
  RecordTraining,
  RevokeCertificate,
} from './certification.commands';
import type {
  CertificateIssued,
  CertificateRevoked,
  CertificationEvent,
  Employment,
  EvaluationRecorded,
  EvaluationResult,
  Jurisdiction,
  TrainingRecorded,
} from './certification.events';
import type { CertificationState, EnrolledProcess } from './certification.state';
import { activeStandard, certifyingProvider, enrollingCentre, ensureCentreAccredited, ensureNotAlreadyEnrolled } from './enrollment.rules';

const EMPLOYMENTS: readonly Employment[] = ['base', 'confianza', 'honorarios', 'other'];
const RESULTS: readonly EvaluationResult[] = ['competent', 'not_yet_competent'];
/** No single training record claims more hours than this; a typo guard, not a policy. */
export const MAX_TRAINING_HOURS = 1000;
/** The longest name of the agency (dependencia) a public servant works for. */
export const MAX_AGENCY_LENGTH = 200;
/** Hours are recorded to the hundredth (a training of 20.25 hours): the least a record may claim. */
export const MIN_TRAINING_HOURS = 0.01;

/** A number of hours as a record may claim: to the hundredth, from MIN_TRAINING_HOURS to MAX_TRAINING_HOURS. */
function isTrainingHours(hours: unknown): hours is number {
  if (typeof hours !== 'number' || !Number.isFinite(hours) || hours < MIN_TRAINING_HOURS || hours > MAX_TRAINING_HOURS) return false;
  const hundredths = hours * 100;
  return Math.abs(hundredths - Math.round(hundredths)) < 1e-6;
}

export const initialState: CertificationState = { status: 'initial' };

export function decide(command: CertificationCommand, state: CertificationState): CertificationEvent[] {
  switch (command.type) {
    case 'EnrollCandidate':
      return enroll(command, state);
    case 'RecordTraining':
      return recordTraining(command, state);
    case 'RecordEvaluation':
      return recordEvaluation(command, state);
    case 'IssueCertificate':
      return issueCertificate(command, state);
    case 'RevokeCertificate':
      return revokeCertificate(command, state);
    default: {
      const _exhaustive: never = command;
      return assertNever(_exhaustive, 'certification command');
    }
  }
}

function enroll({ data, metadata }: EnrollCandidate, state: CertificationState): CertificationEvent[] {
  requireRole(metadata.actor, ['registrar'], 'enroll candidates');
  const processId = requireId(data.processId, 'processId');
  const subjectId = requireId(data.subjectId, 'subjectId');
  const standardCode = parseStandardCode(data.standardCode);
  const providerId = requireId(data.providerId, 'providerId');
  const workData = validWorkData(data);
  const enrolledAt = businessInstant(data.enrolledAt, metadata, 'enrolledAt');
  if (state.status !== 'initial') {
    const { process } = state;
    const same = process.subjectId === subjectId && process.standardCode === standardCode && process.providerId === providerId;
    ensure(same, 'PROCESS_ALREADY_EXISTS', 'this process id is taken by another enrollment', { processId });
    return []; // a retry of the same enrollment
  }
  const centre = enrollingCentre(metadata.actor, providerId, data.centre);
  const standard = activeStandard(data.standard, standardCode);
  certifyingProvider(data.provider, providerId, standardCode, enrolledAt);
  ensureCentreAccredited(centre, standardCode, enrolledAt);
  ensureNotAlreadyEnrolled(data.earlierProcesses ?? [], processId, standardCode, enrolledAt);
  const { version: standardVersion, validityYears } = standard;
  const centreId = metadata.actor.organizationId;
  const enrollment = { processId, subjectId, standardCode, standardVersion, validityYears, providerId, centreId };
  return [{ type: 'CandidateEnrolled', data: { ...enrollment, ...workData, enrolledAt } }];
}

interface WorkData {
  agency: string;
  jurisdiction: Jurisdiction;
  employment: Employment;
}

function validWorkData(data: EnrollCandidate['data']): WorkData {
  const agency = requireText(data.agency, 'agency', MAX_AGENCY_LENGTH);
  const jurisdiction: Jurisdiction = parseJurisdiction(data.jurisdiction);
  ensure(EMPLOYMENTS.includes(data.employment), 'INVALID_FIELD', `employment must be one of ${EMPLOYMENTS.join(', ')}`, {
    field: 'employment',
  });
  return { agency, jurisdiction, employment: data.employment };
}

function recordTraining({ data, metadata }: RecordTraining, state: CertificationState): CertificationEvent[] {
  requireRole(metadata.actor, ['registrar'], 'record training');
  const trainerId = requireId(data.trainerId, 'trainerId');
  ensure(isTrainingHours(data.hours), 'INVALID_FIELD', `hours must be from ${MIN_TRAINING_HOURS} to ${MAX_TRAINING_HOURS}, in hundredths at most`, {
    field: 'hours',
  });
  // Recorded to the hundredth exactly, not as the binary fraction the client's arithmetic left (0.30000000000000004).
  const hours = Math.round(data.hours * 100) / 100;
  const completedAt = businessInstant(data.completedAt, metadata, 'completedAt');
  const process = existing(state, data.processId);
  const { centreId, providerId, enrolledAt, processId } = process.process;
  const open = process.status === 'enrolled' || process.status === 'evaluated';
  ensure(open, 'PROCESS_CLOSED', 'the process already has a certificate', { processId });
  const enrolling = [centreId, providerId].includes(metadata.actor.organizationId);
  ensure(enrolling, 'NOT_ENROLLING_ORGANIZATION', 'only the enrolling centre or provider records training', { processId });
  ensureNotBefore(completedAt, enrolledAt, 'completedAt', 'enrolledAt');
  // The symmetric half of the conflict-of-interest rule: whoever evaluated this process does not train it.
  const evaluated = process.evaluations.some((evaluation) => evaluation.evaluatorId === trainerId);
  ensure(!evaluated, 'CONFLICT_OF_INTEREST', 'an evaluator of this process cannot train it', { reason: 'trainer_is_evaluator' });
  return [{ type: 'TrainingRecorded', data: { processId, trainerId, hours, completedAt } }];
}

function recordEvaluation({ data, metadata }: RecordEvaluation, state: CertificationState): CertificationEvent[] {
  const { actor } = metadata;
  requireRole(actor, ['evaluator'], 'record evaluations');
  const evaluatorId = requireId(data.evaluatorId, 'evaluatorId');
  ensure(actor.id === evaluatorId, 'NOT_ACTING_AS_SELF', 'an evaluator records only its own judgments', { evaluatorId });
  ensure(RESULTS.includes(data.result), 'INVALID_FIELD', 'result must be competent or not_yet_competent', {
    field: 'result',
  });
  const importRun = data.importRun === undefined ? undefined : requireId(data.importRun, 'importRun');
  // Only an import may bring a judgment without the evidence's digest: a registry of the past may have kept none.
  const evidenceDigest = data.evidenceDigest === undefined && importRun !== undefined ? undefined : parseEvidenceDigest(data.evidenceDigest);
  const evaluatedAt = businessInstant(data.evaluatedAt, metadata, 'evaluatedAt');
  const process = existing(state, data.processId);
  const { processId, enrolledAt } = process.process;
  ensure(process.status === 'enrolled', 'ALREADY_COMPETENT', 'the candidate was already judged competent', { processId });
  ensureNotBefore(evaluatedAt, enrolledAt, 'evaluatedAt', 'enrolledAt');
  // A re-evaluation depends on the judgment before it.
  const previous = process.evaluations.at(-1);
  if (previous !== undefined) ensureNotBefore(evaluatedAt, previous.evaluatedAt, 'evaluatedAt', 'the previous evaluatedAt');
  const credentialFolio = usableCredentialFolio(data, process, evaluatedAt, actor);
  const result = data.result;
  return [
    {
      type: 'EvaluationRecorded',
      data: {
        processId,
        evaluatorId,
        result,
        ...(evidenceDigest === undefined ? {} : { evidenceDigest }),
        evaluatedAt,
        credentialFolio,
        ...(importRun === undefined ? {} : { importRun }),
      },
    },
  ];
}

/**
 * The evaluator acts for the process's provider (its token's organization)
 * and holds that provider's credential for the standard, in force on the
 * date and not revoked; then conflict of interest: not the candidate, not a
 * trainer. A credential of another provider never counts here: it belongs to
 * that provider's processes.
 */
function usableCredentialFolio(data: RecordEvaluation['data'], process: EnrolledProcess, evaluatedAt: string, actor: Actor): string {
  const { evaluator, evaluatorId } = data;
  const { standardCode, providerId } = process.process;
  ensure(actor.organizationId === providerId, 'NOT_ACTING_FOR_PROVIDER', "an evaluator judges a process only acting for the process's provider", {
    providerId,
  });
  const matches = evaluator.status === 'registered' && evaluator.evaluatorId === evaluatorId;
  const standing: CredentialStanding = matches
    ? credentialStanding(evaluator, standardCode, providerId, evaluatedAt)
    : { usable: false, reason: 'not_registered' };
  if (!standing.usable) {
    throw new DomainError('EVALUATOR_NOT_ACCREDITED', `the evaluator holds no credential of the provider in force for ${standardCode} on that date`, {
      evaluatorId,
      standardCode,
      providerId,
      reason: standing.reason,
    });
  }
  const subjectId = evaluator.status === 'registered' ? evaluator.subjectId : '';
  ensure(subjectId !== process.process.subjectId, 'CONFLICT_OF_INTEREST', 'an evaluator cannot judge their own process', {
    reason: 'evaluator_is_candidate',
  });
  // Trainers may be recorded by evaluator id or by subjectId; either way it is the same person.
  const trained = process.trainings.some(({ trainerId }) => trainerId === evaluatorId || trainerId === subjectId);
  ensure(!trained, 'CONFLICT_OF_INTEREST', 'the evaluator trained this candidate for this process', {
    reason: 'evaluator_is_trainer',
  });
  return standing.credential.credentialFolio;
}

function issueCertificate({ data, metadata }: IssueCertificate, state: CertificationState): CertificationEvent[] {
  requireRole(metadata.actor, ['certifier'], 'issue certificates');
  const folio = Folio.parse(data.folio).value;
  const imported = importedIssuance(data);
  const issuedAt = businessInstant(data.issuedAt, metadata, 'issuedAt');
  const process = existing(state, data.processId);
  const { processId, providerId, subjectId, standardCode, validityYears } = process.process;
  ensure(metadata.actor.organizationId === providerId, 'NOT_ENROLLING_PROVIDER', 'only the enrolling provider certifies this process', {
    providerId,
  });
  // Idempotent: the same folio again is a retry; the handler answers with the folio already issued.
  if (process.status === 'certified' && process.certificate.folio === folio) return [];
  if (process.status === 'certified' || process.status === 'revoked') {
    const existingFolio = process.certificate.folio;
    throw new DomainError('CERTIFICATE_ALREADY_ISSUED', 'the process already has a certificate', { processId, folio: existingFolio });
  }
  if (process.status === 'enrolled') throw new DomainError('NOT_COMPETENT', 'a certificate needs a competent judgment', { processId });
  const { evaluatorId, evaluatedAt } = process.competentEvaluation;
  ensureNotBefore(issuedAt, evaluatedAt, 'issuedAt', 'evaluatedAt');
  const validUntil = addYearsToInstant(issuedAt, validityYears);
  const certificate = { processId, folio, subjectId, standardCode, providerId, evaluatorId, issuedAt, validUntil, ...imported };
  return [{ type: 'CertificateIssued', data: certificate }];
}

/** What an import adds to an issuance: its run, and the folio printed on paper if there was one (never without a run). */
function importedIssuance(data: IssueCertificate['data']): { importRun?: string; printedFolio?: string } {
  if (data.importRun === undefined) {
    ensure(data.printedFolio === undefined, 'INVALID_FIELD', 'a printed folio is kept only for a certificate an import brings', { field: 'printedFolio' });
    return {};
  }
  const importRun = requireId(data.importRun, 'importRun');
  if (data.printedFolio === undefined) return { importRun };
  return { importRun, printedFolio: parsePrintedFolio(data.printedFolio) };
}

function revokeCertificate({ data, metadata }: RevokeCertificate, state: CertificationState): CertificationEvent[] {
  const { actor } = metadata;
  requireRole(actor, ['certifier', 'authority'], 'revoke certificates');
  const reason = revocationReason(data.reason);
  const folio = Folio.parse(data.folio).value;
  const revokedAt = businessInstant(data.revokedAt, metadata, 'revokedAt');
  const process = existing(state, data.processId);
  const { processId, providerId } = process.process;
  if (actor.role === 'certifier') {
    const issuing = actor.organizationId === providerId;
    ensure(issuing, 'NOT_ISSUING_PROVIDER', 'only the issuing provider or an authority revokes', { providerId });
  }
  const hasCertificate = process.status === 'certified' || process.status === 'revoked';
  if (!hasCertificate || process.certificate.folio !== folio) {
    throw new DomainError('CERTIFICATE_NOT_FOUND', 'the process has no certificate with that folio', { processId });
  }
  if (process.status === 'revoked') {
    throw new DomainError('CERTIFICATE_ALREADY_REVOKED', 'the certificate is already revoked', { folio });
  }
  ensureNotBefore(revokedAt, process.certificate.issuedAt, 'revokedAt', 'issuedAt');
  return [{ type: 'CertificateRevoked', data: { processId, folio, reason, revokedAt } }];
}

function existing(state: CertificationState, processId: unknown): EnrolledProcess {
  if (state.status === 'initial') throw new DomainError('PROCESS_NOT_FOUND', 'no such certification process', { processId });
  return state;
}

export function evolve(state: CertificationState, event: CertificationEvent): CertificationState {
  switch (event.type) {
    case 'CandidateEnrolled':
      return { status: 'enrolled', process: event.data, trainings: [], evaluations: [] };
    case 'TrainingRecorded':
      return withTraining(state, event);
    case 'EvaluationRecorded':
      return withEvaluation(state, event);
    case 'CertificateIssued':
      return withCertificate(state, event);
    case 'CertificateRevoked':
      return withRevocation(state, event);
    default: {
      const _exhaustive: never = event;
      return assertNever(_exhaustive, 'certification event');
    }
  }
}

// The evolve helpers below ignore an event that cannot follow the current state:
// the decider never emits one, and a fold must not crash on the log it is given.

function withTraining(state: CertificationState, { data }: TrainingRecorded): CertificationState {
  if (state.status === 'initial') return state;
  const { trainerId, hours, completedAt } = data;
  return { ...state, trainings: [...state.trainings, { trainerId, hours, completedAt }] };
}

function withEvaluation(state: CertificationState, { data }: EvaluationRecorded): CertificationState {
  if (state.status !== 'enrolled') return state;
  const { processId: _processId, ...evaluation } = data;
  const evaluations = [...state.evaluations, evaluation];
  if (evaluation.result === 'not_yet_competent') return { ...state, evaluations };
  return { ...state, status: 'evaluated', evaluations, competentEvaluation: { ...evaluation, result: 'competent' } };
}

function withCertificate(state: CertificationState, { data }: CertificateIssued): CertificationState {
  if (state.status !== 'evaluated') return state;
  const { folio, issuedAt, validUntil } = data;
  return { ...state, status: 'certified', certificate: { folio, issuedAt, validUntil } };
}

function withRevocation(state: CertificationState, { data }: CertificateRevoked): CertificationState {
  if (state.status !== 'certified') return state;
  return { ...state, status: 'revoked', revocation: { reason: data.reason, revokedAt: data.revokedAt } };
}

export const certificationDecider: Decider<CertificationCommand, CertificationEvent, CertificationState> = {
  decide,
  evolve,
  initialState,
};
