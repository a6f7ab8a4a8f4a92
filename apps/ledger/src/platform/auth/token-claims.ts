import type { Actor, Role } from '@ledger/domain';
import { IDENTIFIER } from '../http/request-formats';

export const ROLES_IN_TOKENS: readonly Role[] = ['authority', 'certifier', 'registrar', 'evaluator', 'comptroller'];

export interface LedgerTokenClaims {
  sub: string;
  role: Role;
  org: string;
  exp: number;
}

/**
 * `sub` and `org` end up in every event's metadata, in audit queries and in
 * stream names (a registrar's centre is read from `provider-{org}`), so they
 * have the shape of an identifier: bounded, no spaces.
 */
function isClaimText(value: unknown): value is string {
  return typeof value === 'string' && IDENTIFIER.test(value);
}

/** The actor named by a verified token's claims, or a reason why they do not name one. */
export function actorFromClaims(claims: Record<string, unknown>): Actor | string {
  if (!isClaimText(claims.sub)) return 'the token has no usable "sub" claim';
  if (!ROLES_IN_TOKENS.includes(claims.role as Role)) return 'the token has no known "role" claim';
  if (!isClaimText(claims.org)) return 'the token has no usable "org" claim';
  if (typeof claims.exp !== 'number') return 'the token has no "exp" claim';
  return { id: claims.sub, role: claims.role as Role, organizationId: claims.org };
}
