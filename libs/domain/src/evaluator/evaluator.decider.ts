import { assertNever, type Decider } from '../shared/decider';
import { DomainError, ensure } from '../shared/domain-error';
import { nowOf, requireId, requireRole, requireText, revocationReason, standardList } from '../shared/guards';
import { ensureIsoDate } from '../shared/iso-date';
import { parseStandardCode } from '../shared/standard-code';
import type { AccreditEvaluator, EvaluatorCommand, RevokeEvaluatorAccreditation } from './evaluator.commands';
import type { EvaluatorAccredited, EvaluatorAccreditationRevoked, EvaluatorEvent } from './evaluator.events';
import type { EvaluatorCredential, EvaluatorState } from './evaluator.state';

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

function accredit({ data, metadata }: AccreditEvaluator, state: EvaluatorState): EvaluatorEvent[] {
  const { actor } = metadata;
  requireRole(actor, ['certifier'], 'accredit evaluators');
  const accreditation: Omit<EvaluatorAccredited['data'], 'accreditedAt'> = {
    evaluatorId: requireId(data.evaluatorId, 'evaluatorId'),
    subjectId: requireId(data.subjectId, 'subjectId'),
    providerId: requireId(data.providerId, 'providerId'),
    standards: standardList(data.standards),
    credentialFolio: requireText(data.credentialFolio, 'credentialFolio', 64),
    validUntil: ensureIsoDate(data.validUntil, 'validUntil'),
  };
  const { providerId } = accreditation;
  const ownProvider = actor.organizationId === providerId;
  ensure(ownProvider, 'NOT_ACCREDITING_PROVIDER', 'only a certifier of that provider may issue its credentials', { providerId });
  if (state.status === 'registered') {
    ensure(state.subjectId === accreditation.subjectId, 'EVALUATOR_SUBJECT_MISMATCH', 'this evaluator id belongs to another person', {
      evaluatorId: accreditation.evaluatorId,
    });
    if (accreditation.standards.every((code) => sameCredential(state.credentials[code], accreditation))) return [];
  }
  return [{ type: 'EvaluatorAccredited', data: { ...accreditation, accreditedAt: nowOf(metadata) } }];
}

function sameCredential(current: EvaluatorCredential | undefined, next: Omit<EvaluatorAccredited['data'], 'accreditedAt'>): boolean {
  return (
    current !== undefined &&
    current.revocation === undefined &&
    current.providerId === next.providerId &&
    current.credentialFolio === next.credentialFolio &&
    current.validUntil === next.validUntil
  );
}

function revoke({ data, metadata }: RevokeEvaluatorAccreditation, state: EvaluatorState): EvaluatorEvent[] {
  const { actor } = metadata;
  requireRole(actor, ['certifier', 'authority'], 'revoke evaluator accreditations');
  const evaluatorId = requireId(data.evaluatorId, 'evaluatorId');
  const standardCode = parseStandardCode(data.standardCode);
  const reason = revocationReason(data.reason);
  if (state.status === 'unregistered') throw new DomainError('EVALUATOR_NOT_FOUND', 'no such evaluator', { evaluatorId });
  const credential = state.credentials[standardCode];
  if (credential === undefined) {
    throw new DomainError('EVALUATOR_ACCREDITATION_NOT_FOUND', 'the evaluator holds no credential for that standard', { standardCode });
  }
  if (actor.role === 'certifier') {
    const { providerId } = credential;
    const issuing = actor.organizationId === providerId;
    ensure(issuing, 'NOT_ACCREDITING_PROVIDER', 'only the provider that issued the credential may revoke it', { providerId });
  }
  const active = credential.revocation === undefined;
  ensure(active, 'EVALUATOR_ACCREDITATION_ALREADY_REVOKED', 'the credential is already revoked', { standardCode });
  return [{ type: 'EvaluatorAccreditationRevoked', data: { evaluatorId, standardCode, reason, revokedAt: nowOf(metadata) } }];
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
  const credentials = { ...(state.status === 'registered' ? state.credentials : {}) };
  for (const standardCode of data.standards) {
    const { providerId, credentialFolio, validUntil, accreditedAt } = data;
    credentials[standardCode] = { standardCode, providerId, credentialFolio, validUntil, accreditedAt };
  }
  return { status: 'registered', evaluatorId: data.evaluatorId, subjectId: data.subjectId, credentials };
}

function revoked(state: EvaluatorState, { data }: EvaluatorAccreditationRevoked): EvaluatorState {
  if (state.status === 'unregistered' || state.credentials[data.standardCode] === undefined) return state;
  const credential = { ...state.credentials[data.standardCode], revocation: { reason: data.reason, revokedAt: data.revokedAt } };
  return { ...state, credentials: { ...state.credentials, [data.standardCode]: credential } };
}

export const evaluatorDecider: Decider<EvaluatorCommand, EvaluatorEvent, EvaluatorState> = { decide, evolve, initialState };
