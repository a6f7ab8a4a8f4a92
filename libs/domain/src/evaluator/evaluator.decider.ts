import { assertNever, type Decider } from '../shared/decider';
import { DomainError, ensure } from '../shared/domain-error';
import { nowOf, requireId, requireRole, requireText, revocationReason, standardList } from '../shared/guards';
import { ensureIsoDate, isoDateOf } from '../shared/iso-date';
import { parseStandardCode } from '../shared/standard-code';
import type { AccreditEvaluator, EvaluatorCommand, RevokeEvaluatorAccreditation } from './evaluator.commands';
import type { EvaluatorAccredited, EvaluatorAccreditationRevoked, EvaluatorEvent } from './evaluator.events';
import { credentialProviders, currentCredential, type EvaluatorCredential, type EvaluatorState } from './evaluator.state';

export const initialState: EvaluatorState = { status: 'unregistered' };

export function decide(command: EvaluatorCommand, state: EvaluatorState): EvaluatorEvent[] {
  switch (command.type) {
    case 'AccreditEvaluator':
      return accredit(command, state);
    case 'RevokeEvaluatorAccreditation':
      return revoke(command, state);
    default: {
      const _exhaustive: never = command;
      return assertNever(_exhaustive, 'evaluator command');
    }
  }
}

type CredentialFields = Omit<EvaluatorAccredited['data'], 'accreditedAt'>;

/**
 * A provider issues credentials of its own only. The same evaluator may hold
 * credentials of several providers (each its own), but a provider never
 * changes, renews or revives another's: its accreditation adds its own.
 */
function accredit({ data, metadata }: AccreditEvaluator, state: EvaluatorState): EvaluatorEvent[] {
  const { actor } = metadata;
  requireRole(actor, ['certifier'], 'accredit evaluators');
  const validUntil = ensureIsoDate(data.validUntil, 'validUntil');
  const validFrom = data.validFrom === undefined || data.validFrom === null ? isoDateOf(nowOf(metadata)) : ensureIsoDate(data.validFrom, 'validFrom');
  ensure(validFrom <= validUntil, 'VALIDITY_PERIOD_INVALID', 'validFrom must not be after validUntil', { field: 'validFrom' });
  const credential: CredentialFields = {
    evaluatorId: requireId(data.evaluatorId, 'evaluatorId'),
    subjectId: requireId(data.subjectId, 'subjectId'),
    providerId: requireId(data.providerId, 'providerId'),
    standards: standardList(data.standards),
    credentialFolio: requireText(data.credentialFolio, 'credentialFolio', 64),
    validFrom,
    validUntil,
  };
  const { providerId } = credential;
  ensure(actor.organizationId === providerId, 'NOT_ACCREDITING_PROVIDER', 'only a certifier of that provider may issue its credentials', {
    providerId,
  });
  if (state.status === 'registered') {
    ensure(state.subjectId === credential.subjectId, 'EVALUATOR_SUBJECT_MISMATCH', 'this evaluator id belongs to another person', {
      evaluatorId: credential.evaluatorId,
    });
    const repeated = credential.standards.every((code) => sameCredential(currentCredential(state, code, providerId), credential));
    if (repeated) return [];
  }
  return [{ type: 'EvaluatorAccredited', data: { ...credential, accreditedAt: nowOf(metadata) } }];
}

function sameCredential(current: EvaluatorCredential | undefined, next: CredentialFields): boolean {
  return (
    current !== undefined &&
    current.revocation === undefined &&
    current.credentialFolio === next.credentialFolio &&
    current.validFrom === next.validFrom &&
    current.validUntil === next.validUntil
  );
}

function revoke({ data, metadata }: RevokeEvaluatorAccreditation, state: EvaluatorState): EvaluatorEvent[] {
  const { actor } = metadata;
  requireRole(actor, ['certifier', 'authority'], 'revoke evaluator accreditations');
  const evaluatorId = requireId(data.evaluatorId, 'evaluatorId');
  const standardCode = parseStandardCode(data.standardCode);
  const reason = revocationReason(data.reason);
  const named = data.providerId === undefined || data.providerId === null ? undefined : requireId(data.providerId, 'providerId');
  if (state.status === 'unregistered') throw new DomainError('EVALUATOR_NOT_FOUND', 'no such evaluator', { evaluatorId });
  const providerId = revokedProvider(actor.role === 'certifier' ? actor.organizationId : undefined, named, credentialProviders(state, standardCode));
  const credential = currentCredential(state, standardCode, providerId);
  if (credential === undefined) {
    throw new DomainError('EVALUATOR_ACCREDITATION_NOT_FOUND', 'the evaluator holds no credential of that provider for that standard', {
      standardCode,
      providerId,
    });
  }
  ensure(credential.revocation === undefined, 'EVALUATOR_ACCREDITATION_ALREADY_REVOKED', 'the credential is already revoked', { standardCode, providerId });
  return [{ type: 'EvaluatorAccreditationRevoked', data: { evaluatorId, standardCode, providerId, reason, revokedAt: nowOf(metadata) } }];
}

/**
 * Whose credential a revocation is about. A certifier revokes its own
 * provider's only; an authority names the provider, or may leave it out
 * when a single provider holds credentials for the standard.
 */
function revokedProvider(certifierOf: string | undefined, named: string | undefined, holders: readonly string[]): string {
  if (certifierOf !== undefined) {
    const own = named === undefined || named === certifierOf;
    ensure(own, 'NOT_ACCREDITING_PROVIDER', 'only the provider that issued the credential may revoke it', { providerId: named });
    return certifierOf;
  }
  if (named !== undefined) return named;
  if (holders.length === 1) return holders[0];
  if (holders.length === 0) return '';
  throw new DomainError('REQUIRED_FIELD', 'several providers hold credentials for this standard: name the providerId', { field: 'providerId' });
}

export function evolve(state: EvaluatorState, event: EvaluatorEvent): EvaluatorState {
  switch (event.type) {
    case 'EvaluatorAccredited':
      return accredited(state, event);
    case 'EvaluatorAccreditationRevoked':
      return revoked(state, event);
    default: {
      const _exhaustive: never = event;
      return assertNever(_exhaustive, 'evaluator event');
    }
  }
}

function accredited(state: EvaluatorState, { data }: EvaluatorAccredited): EvaluatorState {
  const { providerId, credentialFolio, validFrom, validUntil, accreditedAt } = data;
  const added = data.standards.map((standardCode) => ({ standardCode, providerId, credentialFolio, validFrom, validUntil, accreditedAt }));
  const credentials = [...(state.status === 'registered' ? state.credentials : []), ...added];
  return { status: 'registered', evaluatorId: data.evaluatorId, subjectId: data.subjectId, credentials };
}

/** Marks the revoked credential: the provider's latest for the standard, or (events of schema 1) the standard's latest. */
function revoked(state: EvaluatorState, { data }: EvaluatorAccreditationRevoked): EvaluatorState {
  if (state.status === 'unregistered') return state;
  const { standardCode, providerId } = data;
  const index = state.credentials.findLastIndex(
    (credential) => credential.standardCode === standardCode && (providerId === undefined || credential.providerId === providerId),
  );
  if (index < 0) return state;
  const credentials = [...state.credentials];
  credentials[index] = { ...credentials[index], revocation: { reason: data.reason, revokedAt: data.revokedAt } };
  return { ...state, credentials };
}

export const evaluatorDecider: Decider<EvaluatorCommand, EvaluatorEvent, EvaluatorState> = { decide, evolve, initialState };
