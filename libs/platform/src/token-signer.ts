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
 * An HS256 JWT (RFC 7519) of `payload`, signed with `key`: a JWT is small
 * enough to build by hand, and the ledger verifies it with its JWT library
 * (@nestjs/jwt) like any other token, which also shows it accepts any
 * standard HS256 token, not only its own library's.
 */
export function signHs256Jwt(key: string, payload: Readonly<Record<string, unknown>>): string {
  const signed = `${base64url(JSON.stringify({ alg: 'HS256', typ: 'JWT' }))}.${base64url(JSON.stringify(payload))}`;
  return `${signed}.${createHmac('sha256', key).update(signed).digest('base64url')}`;
}

/** Signs a ledger (development) token with the ledger's token key, for `ledger token` and the seed. */
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
  return signHs256Jwt(tokenKey, claims);
}
