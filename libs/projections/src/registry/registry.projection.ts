import type { EvaluatorAccreditationRevoked, EvaluatorAccredited, LedgerEventType, ProviderAccredited } from '@ledger/domain';
import type { RecordedEvent } from '@ledger/event-store';
import { asFoldedEvent, listOf, positionOf, unexpectedEvent } from '../ledger-events';
import { append, patch, put, ref, type Projection, type RowChange, type RowReader, type RowRef } from '../projection';
import {
  evaluatorAccreditationHeadsTable,
  evaluatorAccreditationsTable,
  evaluatorStandardHeadsTable,
  providerAccreditationsTable,
  providersTable,
  standardsTable,
} from './registry.tables';

type Recorded<E extends { type: string; data: unknown }> = RecordedEvent<E['type'], E['data']>;

const STANDARDS = standardsTable.name;
const HEADS = evaluatorAccreditationHeadsTable.name;
const STANDARD_HEADS = evaluatorStandardHeadsTable.name;

/** What this projection folds: its eventTypes, and the union its fold's switch must cover. */
const EVENT_TYPES = ['StandardRegistered', 'StandardRetired', 'ProviderAccredited', 'EvaluatorAccredited', 'EvaluatorAccreditationRevoked'] as const satisfies readonly LedgerEventType[];

/**
 * Standards, providers and evaluators with the history of their
 * accreditations. Version 2: an evaluator's credentials are per provider
 * (each provider's own), and each has the date it is in force from.
 */
export const registryProjection: Projection = {
  name: 'registry',
  version: 2,
  eventTypes: EVENT_TYPES,
  tables: [
    standardsTable,
    providersTable,
    providerAccreditationsTable,
    evaluatorAccreditationsTable,
    evaluatorAccreditationHeadsTable,
    evaluatorStandardHeadsTable,
  ],
  reads,
  fold,
};

function reads(recorded: RecordedEvent): RowRef[] {
  const event = asFoldedEvent(recorded, EVENT_TYPES);
  if (event.type !== 'EvaluatorAccreditationRevoked') return [];
  return [revokedHead(event)];
}

/**
 * The head row a revocation applies to: the provider's latest credential
 * for the standard, or, for a revocation recorded without a provider (schema
 * 1), the standard's latest credential whoever issued it.
 */
function revokedHead(event: Recorded<EvaluatorAccreditationRevoked>): RowRef {
  const { evaluatorId, standardCode, providerId } = event.data;
  if (providerId === undefined || providerId === null) return ref(STANDARD_HEADS, { evaluator_id: evaluatorId, standard_code: standardCode });
  return ref(HEADS, { evaluator_id: evaluatorId, standard_code: standardCode, provider_id: providerId });
}

function fold(rows: RowReader, recorded: RecordedEvent): RowChange[] {
  const event = asFoldedEvent(recorded, EVENT_TYPES);
  switch (event.type) {
    case 'StandardRegistered': {
      const { data } = event;
      return [
        put(STANDARDS, {
          code: data.code,
          version: data.version,
          title: data.title,
          validity_years: data.validityYears,
          status: 'active',
          registered_at: data.registeredAt,
          retired_at: null,
          retirement_reason: null,
          position: positionOf(event),
        }),
      ];
    }
    case 'StandardRetired':
      return [
        patch(STANDARDS, { code: event.data.code }, {
          status: 'retired',
          retired_at: event.data.retiredAt,
          retirement_reason: event.data.reason,
          position: positionOf(event),
        }),
      ];
    case 'ProviderAccredited':
      return providerAccredited(event);
    case 'EvaluatorAccredited':
      return evaluatorAccredited(event);
    case 'EvaluatorAccreditationRevoked':
      return evaluatorRevoked(rows, event);
    default:
      return unexpectedEvent('registry', event);
  }
}

function providerAccredited(event: Recorded<ProviderAccredited>): RowChange[] {
  const { data } = event;
  const row = {
    provider_id: data.providerId,
    kind: data.kind,
    name: data.name,
    accreditation_code: data.accreditationCode,
    standards: data.standards,
    valid_from: data.validFrom,
    valid_until: data.validUntil,
    parent_provider_id: data.parentProviderId ?? null,
    accredited_at: data.accreditedAt,
    position: positionOf(event),
  };
  return [put(providersTable.name, row), append(providerAccreditationsTable.name, row)];
}

function evaluatorAccredited(event: Recorded<EvaluatorAccredited>): RowChange[] {
  const { data } = event;
  const position = positionOf(event);
  return listOf(data.standards).flatMap((standardCode) => [
    // `put`, not `append`: a revocation in the same batch patches this row.
    put(evaluatorAccreditationsTable.name, {
      evaluator_id: data.evaluatorId,
      standard_code: standardCode,
      position,
      subject_id: data.subjectId,
      provider_id: data.providerId,
      credential_folio: data.credentialFolio,
      valid_from: data.validFrom,
      valid_until: data.validUntil,
      accredited_at: data.accreditedAt,
      revoked_at: null,
      revocation_reason: null,
      revoked_position: null,
    }),
    put(HEADS, { evaluator_id: data.evaluatorId, standard_code: standardCode, provider_id: data.providerId, position }),
    put(STANDARD_HEADS, { evaluator_id: data.evaluatorId, standard_code: standardCode, position }),
  ]);
}

function evaluatorRevoked(rows: RowReader, event: Recorded<EvaluatorAccreditationRevoked>): RowChange[] {
  const { data } = event;
  const { table, key } = revokedHead(event);
  const head = rows.get(table, key);
  if (!head) return [];
  return [
    patch(
      evaluatorAccreditationsTable.name,
      { evaluator_id: data.evaluatorId, standard_code: data.standardCode, position: head.position },
      { revoked_at: data.revokedAt, revocation_reason: data.reason, revoked_position: positionOf(event) },
    ),
  ];
}
