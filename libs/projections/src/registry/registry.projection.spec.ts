import { foldInMemory, recorded, tableWrites } from '../testing/recorded';
import { registryProjection } from './registry.projection';

const accredited = (position: number, credentialFolio: string, validUntil: string) =>
  recorded(position, 'evaluator-ev1', 'EvaluatorAccredited', {
    evaluatorId: 'ev1', subjectId: 's9', providerId: 'ECE1', standards: ['EC0105', 'EC0217'], credentialFolio, validUntil, accreditedAt: '2018-01-01T00:00:00.000Z',
  });

describe('registry projection', () => {
  it('keeps every credential per evaluator and standard, and revokes the one in force', () => {
    const revokedLater = recorded(3, 'evaluator-ev1', 'EvaluatorAccreditationRevoked', { evaluatorId: 'ev1', standardCode: 'EC0105', reason: 'conflicto', revokedAt: '2019-05-01T00:00:00.000Z' });
    const rows = foldInMemory(registryProjection, [accredited(1, 'CED-1', '2020-12-31'), accredited(2, 'CED-2', '2025-12-31'), revokedLater]);
    const credentials = tableWrites(rows, 'evaluator_accreditations').puts.map((row) => [row.standard_code, row.position, row.credential_folio, row.revoked_position]);
    expect(credentials.sort()).toEqual([
      ['EC0105', '1', 'CED-1', null],
      ['EC0105', '2', 'CED-2', '3'],
      ['EC0217', '1', 'CED-1', null],
      ['EC0217', '2', 'CED-2', null],
    ]);
  });

  it('revokes a credential written by an earlier batch without reading it (schema 1: the standard’s latest)', () => {
    const revoked = recorded(9, 'evaluator-ev1', 'EvaluatorAccreditationRevoked', { evaluatorId: 'ev1', standardCode: 'EC0105', reason: 'x', revokedAt: '2019-05-01T00:00:00.000Z' });
    const rows = foldInMemory(registryProjection, [revoked], { evaluator_standard_heads: [{ evaluator_id: 'ev1', standard_code: 'EC0105', position: '2' }] });
    expect(tableWrites(rows, 'evaluator_accreditations').patches).toEqual([
      { key: { evaluator_id: 'ev1', standard_code: 'EC0105', position: '2' }, set: { revoked_at: '2019-05-01T00:00:00.000Z', revocation_reason: 'x', revoked_position: '9' } },
    ]);
  });

  it('reads a credential of schema 1 as in force from the day it was recorded', () => {
    const rows = foldInMemory(registryProjection, [accredited(1, 'CED-1', '2020-12-31')]);
    expect(tableWrites(rows, 'evaluator_accreditations').puts.map((row) => row.valid_from)).toEqual(['2018-01-01', '2018-01-01']);
  });

  it('keeps each provider’s credentials apart: a revocation by one provider leaves the other’s in force', () => {
    const credential = (position: number, providerId: string, credentialFolio: string) =>
      recorded(position, 'evaluator-ev1', 'EvaluatorAccredited', {
        evaluatorId: 'ev1', subjectId: 's9', providerId, standards: ['EC0105'], credentialFolio, validFrom: '2018-01-01', validUntil: '2030-12-31', accreditedAt: '2018-01-01T00:00:00.000Z',
      }, { schemaVersion: 2 });
    const revocation = recorded(4, 'evaluator-ev1', 'EvaluatorAccreditationRevoked', {
      evaluatorId: 'ev1', standardCode: 'EC0105', providerId: 'ECE1', reason: 'fraude', revokedAt: '2019-05-01T00:00:00.000Z',
    }, { schemaVersion: 2 });
    const rows = foldInMemory(registryProjection, [credential(1, 'ECE1', 'CED-A'), credential(2, 'OC2', 'CED-B'), revocation]);
    const credentials = tableWrites(rows, 'evaluator_accreditations').puts.map((row) => [row.provider_id, row.credential_folio, row.revoked_position]);
    expect(credentials.sort()).toEqual([['ECE1', 'CED-A', '4'], ['OC2', 'CED-B', null]]);
  });

  it('keeps each provider accreditation in the history and the latest as current', () => {
    const provider = (position: number, validUntil: string) =>
      recorded(position, 'provider-ECE1', 'ProviderAccredited', {
        providerId: 'ECE1', kind: 'ECE', name: 'ECE uno', accreditationCode: 'ECE1', standards: ['EC0105'], validFrom: '2018-01-01', validUntil, accreditedAt: '2018-01-01T00:00:00.000Z',
      });
    const rows = foldInMemory(registryProjection, [provider(1, '2019-12-31'), provider(5, '2024-12-31')]);
    expect(tableWrites(rows, 'providers').puts).toEqual([expect.objectContaining({ valid_until: '2024-12-31', position: '5' })]);
    expect(tableWrites(rows, 'provider_accreditations').appends.map((row) => row.valid_until)).toEqual(['2019-12-31', '2024-12-31']);
  });
});
