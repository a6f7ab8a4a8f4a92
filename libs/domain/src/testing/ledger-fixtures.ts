import type { CandidateEnrolled, EvaluationRecorded } from '../certification/certification.events';
import type { EvaluatorAccredited } from '../evaluator/evaluator.events';
import type { ProviderAccredited } from '../provider/provider.events';
import type { Actor } from '../shared/actor';
import type { CommandMetadata } from '../shared/command';
import type { StandardRegistered } from '../standard/standard.events';

/**
 * A small, realistic cast for tests: CONOCER as authority, an ECE accredited for
 * EC0105, a CECATI it proposed as evaluation centre, and one evaluator.
 * Builders take overrides so each test states only what it is about.
 */
export const NOW = '2024-06-01T12:00:00.000Z';
export const PROVIDER_ID = 'ECE322-18';
export const CENTRE_ID = 'CECATI-149';
export const EVALUATOR_ID = 'evaluator-7';
export const EVALUATOR_SUBJECT_ID = 'subject-evaluator-7';
export const SUBJECT_ID = 'subject-candidate-1';
export const PROCESS_ID = 'process-1';

export const authority: Actor = { id: 'conocer-admin', role: 'authority', organizationId: 'CONOCER' };
export const certifier: Actor = { id: 'certifier-1', role: 'certifier', organizationId: PROVIDER_ID };
export const providerRegistrar: Actor = { id: 'registrar-ece', role: 'registrar', organizationId: PROVIDER_ID };
export const centreRegistrar: Actor = { id: 'registrar-1', role: 'registrar', organizationId: CENTRE_ID };
export const evaluator: Actor = { id: EVALUATOR_ID, role: 'evaluator', organizationId: PROVIDER_ID };
export const comptroller: Actor = { id: 'auditor-1', role: 'comptroller', organizationId: 'SECOGEF' };

export function meta(actor: Actor, now: string = NOW): CommandMetadata {
  return { actor, now };
}

export function standardRegistered(overrides: Partial<StandardRegistered['data']> = {}): StandardRegistered {
  return {
    type: 'StandardRegistered',
    data: {
      code: 'EC0105',
      version: '01',
      title: 'Atención al ciudadano en el sector público',
      validityYears: 5,
      registeredAt: '2015-01-01T00:00:00.000Z',
      ...overrides,
    },
  };
}

export function providerAccredited(overrides: Partial<ProviderAccredited['data']> = {}): ProviderAccredited {
  return {
    type: 'ProviderAccredited',
    data: {
      providerId: PROVIDER_ID,
      kind: 'ECE',
      name: 'Entidad de Certificación y Evaluación del Gobierno de Baja California',
      accreditationCode: 'ECE322-18',
      standards: ['EC0105', 'EC0217'],
      validFrom: '2018-01-01',
      validUntil: '2026-12-31',
      accreditedAt: '2018-01-01T00:00:00.000Z',
      ...overrides,
    },
  };
}

export function centreAccredited(overrides: Partial<ProviderAccredited['data']> = {}): ProviderAccredited {
  return providerAccredited({
    providerId: CENTRE_ID,
    kind: 'CE',
    name: 'CECATI 149',
    accreditationCode: 'CE-149',
    parentProviderId: PROVIDER_ID,
    ...overrides,
  });
}

export function evaluatorAccredited(overrides: Partial<EvaluatorAccredited['data']> = {}): EvaluatorAccredited {
  return {
    type: 'EvaluatorAccredited',
    data: {
      evaluatorId: EVALUATOR_ID,
      subjectId: EVALUATOR_SUBJECT_ID,
      providerId: PROVIDER_ID,
      standards: ['EC0105'],
      credentialFolio: 'CED-0105-0007',
      validFrom: '2019-01-01',
      validUntil: '2025-12-31',
      accreditedAt: '2019-01-01T00:00:00.000Z',
      ...overrides,
    },
  };
}

export function candidateEnrolled(overrides: Partial<CandidateEnrolled['data']> = {}): CandidateEnrolled {
  return {
    type: 'CandidateEnrolled',
    data: {
      processId: PROCESS_ID,
      subjectId: SUBJECT_ID,
      standardCode: 'EC0105',
      standardVersion: '01',
      validityYears: 5,
      providerId: PROVIDER_ID,
      centreId: CENTRE_ID,
      agency: 'Secretaría de Hacienda del Estado',
      jurisdiction: { state: 'BC', municipality: 'Tijuana' },
      employment: 'base',
      enrolledAt: '2024-03-01T09:00:00.000Z',
      ...overrides,
    },
  };
}

export function evaluationRecorded(overrides: Partial<EvaluationRecorded['data']> = {}): EvaluationRecorded {
  return {
    type: 'EvaluationRecorded',
    data: {
      processId: PROCESS_ID,
      evaluatorId: EVALUATOR_ID,
      result: 'competent',
      evidenceDigest: `sha256:${'ab'.repeat(32)}`,
      evaluatedAt: '2024-04-10T10:00:00.000Z',
      credentialFolio: 'CED-0105-0007',
      ...overrides,
    },
  };
}

/** An EnrollCandidate request as a registrar sends it (POST /v1/enrollments) for `person`: a public servant of Tijuana's treasury. */
export function enrollmentRequest(person: { curp: string; fullName: string }, overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    ...person,
    standardCode: 'EC0105',
    providerId: PROVIDER_ID,
    agency: 'Secretaría de Hacienda',
    jurisdiction: { state: 'BC', municipality: 'Tijuana' },
    employment: 'base',
    enrolledAt: '2018-10-01T15:00:00Z',
    ...overrides,
  };
}
