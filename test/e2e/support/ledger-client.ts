import request from 'supertest';
import { enrollmentRequest, makeCurpPerson } from '@ledger/domain/testing';
import type { LedgerServer } from './ledger-server';
import { signToken, TestRole } from './tokens';

export const PROVIDER_ID = 'ECE322-18';
export const OTHER_PROVIDER_ID = 'OC-017-20';
export const CENTRE_ID = 'CECATI-149';
export const EVALUATOR_ID = 'eval-0007';

/** One caller per role, as API.md's table names them. */
export interface Callers {
  authority: string;
  certifier: string;
  otherCertifier: string;
  registrar: string;
  providerRegistrar: string;
  evaluator: string;
  comptroller: string;
}

export function callersFor(server: LedgerServer): Callers {
  const token = (role: TestRole, org: string, sub: string) => `Bearer ${signToken(server.secrets.tokenKey, { sub, role, org })}`;
  return {
    authority: token('authority', 'CONOCER', 'conocer-admin'),
    certifier: token('certifier', PROVIDER_ID, 'certifier-1'),
    otherCertifier: token('certifier', OTHER_PROVIDER_ID, 'certifier-9'),
    registrar: token('registrar', CENTRE_ID, 'registrar-1'),
    providerRegistrar: token('registrar', PROVIDER_ID, 'registrar-ece'),
    evaluator: token('evaluator', PROVIDER_ID, EVALUATOR_ID),
    comptroller: token('comptroller', 'SECOGEF', 'auditor-1'),
  };
}

/** A fresh valid person per call, so suites never collide on "one open process per person". */
let personIndex = 1000 + Math.floor(Math.random() * 1000);
export function nextPerson(state = 'BC'): { curp: string; fullName: string } {
  personIndex += 1;
  return makeCurpPerson(personIndex, state);
}

export const EVIDENCE = `sha256:${'ab'.repeat(32)}`;

export function post(server: LedgerServer, path: string, authorization: string | undefined, body?: unknown, headers: Record<string, string> = {}) {
  let call = request(server.baseUrl).post(path);
  if (authorization) call = call.set('Authorization', authorization);
  for (const [name, value] of Object.entries(headers)) call = call.set(name, value);
  return body === undefined ? call : call.send(body as object);
}

export function enrollmentBody(person = nextPerson(), overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return enrollmentRequest(person, overrides);
}

/**
 * The reference data a certification needs: EC0105, the provider and one of
 * its centres, another provider, and an evaluator accredited for EC0105.
 */
export async function seedReferenceData(server: LedgerServer, callers: Callers): Promise<void> {
  const expect201 = async (path: string, token: string, body: unknown) => {
    const response = await post(server, path, token, body);
    if (response.status !== 201) throw new Error(`${path}: ${response.status} ${JSON.stringify(response.body)}`);
  };
  await expect201('/v1/standards', callers.authority, { code: 'EC0105', version: '01', title: 'Atención al ciudadano en el sector público', validityYears: 5 });
  const period = { validFrom: '2018-01-01', validUntil: '2030-12-31' };
  await expect201('/v1/providers', callers.authority, { providerId: PROVIDER_ID, kind: 'ECE', name: 'ECE de Baja California', accreditationCode: PROVIDER_ID, standards: ['EC0105'], ...period });
  await expect201('/v1/providers', callers.authority, { providerId: OTHER_PROVIDER_ID, kind: 'OC', name: 'Otro organismo', accreditationCode: OTHER_PROVIDER_ID, standards: ['EC0105'], ...period });
  await expect201('/v1/providers', callers.authority, {
    providerId: CENTRE_ID, kind: 'CE', name: 'CECATI 149', accreditationCode: CENTRE_ID, standards: ['EC0105'], parentProviderId: PROVIDER_ID, ...period,
  });
  await expect201('/v1/evaluators', callers.certifier, {
    evaluatorId: EVALUATOR_ID, ...nextPerson('QR'), providerId: PROVIDER_ID, standards: ['EC0105'], credentialFolio: 'CED-2018-000123', validFrom: '2018-01-01', validUntil: '2030-12-31',
  });
}

/** Enrolls a fresh person and has them judged competent; returns the process id. */
export async function competentProcess(server: LedgerServer, callers: Callers): Promise<string> {
  const enrolled = await post(server, '/v1/enrollments', callers.registrar, enrollmentBody());
  if (enrolled.status !== 201) throw new Error(`enroll: ${enrolled.status} ${JSON.stringify(enrolled.body)}`);
  const { processId } = enrolled.body as { processId: string };
  const evaluated = await post(server, `/v1/enrollments/${processId}/evaluations`, callers.evaluator, {
    result: 'competent', evidenceDigest: EVIDENCE, evaluatedAt: '2018-11-01T16:00:00Z',
  });
  if (evaluated.status !== 201) throw new Error(`evaluate: ${evaluated.status} ${JSON.stringify(evaluated.body)}`);
  return processId;
}
