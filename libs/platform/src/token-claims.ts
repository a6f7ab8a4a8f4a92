import { MEXICAN_STATES, type Actor, type Role } from '@ledger/domain';
import { IDENTIFIER } from './request-formats';

/** Every role a token may carry: all of the domain's Role. */
export const ROLES_IN_TOKENS: readonly Role[] = ['authority', 'certifier', 'registrar', 'evaluator', 'comptroller', 'privacy'];

/** The jurisdictions a comptroller's token may be scoped to: the ledger's state codes, exactly as written there (`QR`, `CMX`). */
export const JURISDICTION_CODES: readonly string[] = MEXICAN_STATES.map((state) => state.code);

export function isJurisdictionCode(value: unknown): value is string {
  return typeof value === 'string' && JURISDICTION_CODES.includes(value);
}

/** Which claims name the role, the organization and the jurisdiction. `sub` and `exp` are always those. */
export interface ClaimNames {
  readonly role: string;
  readonly organization: string;
  readonly jurisdiction: string;
}

/** The ledger's own (development) tokens: `role`, `org`, `jurisdiction`. */
export const LEDGER_CLAIM_NAMES: ClaimNames = Object.freeze({ role: 'role', organization: 'org', jurisdiction: 'jurisdiction' });

/**
 * `sub` and `org` end up in every event's metadata, in audit queries and in
 * stream names (a registrar's centre is read from `provider-{org}`), so they
 * have the shape of an identifier: bounded, no spaces.
 */
function isClaimText(value: unknown): value is string {
  return typeof value === 'string' && IDENTIFIER.test(value);
}

/**
 * The actor named by a verified token's claims, or a reason why they do not
 * name one (naming the claim, never echoing its value).
 *
 * A comptroller's jurisdiction claim, when present, must be a state code: a
 * scope that cannot be read is refused, never widened to the whole country.
 * Other roles are not scoped by jurisdiction, so the claim is ignored on
 * their tokens: identity providers commonly put a user's state on every
 * token they issue, and it narrows nothing those roles can read.
 */
export function actorFromClaims(claims: Record<string, unknown>, names: ClaimNames = LEDGER_CLAIM_NAMES): Actor | string {
  if (!isClaimText(claims.sub)) return 'the token has no usable "sub" claim (1 to 128 letters, digits, dots, colons, underscores or hyphens)';
  const role = claims[names.role];
  if (!ROLES_IN_TOKENS.includes(role as Role)) return `the token has no known "${names.role}" claim (one of ${ROLES_IN_TOKENS.join(', ')})`;
  const organization = claims[names.organization];
  if (!isClaimText(organization)) return `the token has no usable "${names.organization}" claim (1 to 128 letters, digits, dots, colons, underscores or hyphens)`;
  if (typeof claims.exp !== 'number') return 'the token has no "exp" claim';
  const actor: Actor = { id: claims.sub, role: role as Role, organizationId: organization };
  if (role !== 'comptroller' || claims[names.jurisdiction] === undefined) return actor;
  const jurisdiction = claims[names.jurisdiction];
  if (!isJurisdictionCode(jurisdiction)) return `the token's "${names.jurisdiction}" claim is not a state code (one of ${JURISDICTION_CODES.join(', ')})`;
  return { ...actor, jurisdiction };
}
