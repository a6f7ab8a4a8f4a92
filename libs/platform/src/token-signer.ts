import { createHmac } from 'node:crypto';
import type { Role } from '@ledger/domain';

export interface TokenRequest {
  sub: string;
  role: Role;
  org: string;
  /** Lifetime in seconds. */
  ttlSeconds: number;
  /** A comptroller's state (a code of MEXICAN_STATES); absent, the whole country. */
  jurisdiction?: string;
}

const base64url = (text: string) => Buffer.from(text, 'utf8').toString('base64url');

/**
 * Signs a ledger (development) token, an HS256 JWT (RFC 7519) with the
 * ledger's token key, for `ledger token`, the seed and the tests; the ledger
 * verifies it with its JWT library like any other token.
 */
export function signLedgerToken(tokenKey: string, request: TokenRequest, now: Date = new Date()): string {
  const issuedAt = Math.floor(now.getTime() / 1000);
  const claims = {
    role: request.role,
    org: request.org,
    ...(request.jurisdiction === undefined ? {} : { jurisdiction: request.jurisdiction }),
    iat: issuedAt,
    exp: issuedAt + request.ttlSeconds,
    sub: request.sub,
  };
  const signed = `${base64url(JSON.stringify({ alg: 'HS256', typ: 'JWT' }))}.${base64url(JSON.stringify(claims))}`;
  return `${signed}.${createHmac('sha256', tokenKey).update(signed).digest('base64url')}`;
}
