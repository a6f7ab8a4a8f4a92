import { JwtService } from '@nestjs/jwt';
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

/** Signs a ledger token (HS256) with the ledger's token key; the CLI and tests use it. */
export function signLedgerToken(tokenKey: string, request: TokenRequest): string {
  const jwt = new JwtService({ secret: tokenKey, signOptions: { algorithm: 'HS256' } });
  const claims = { role: request.role, org: request.org, ...(request.jurisdiction === undefined ? {} : { jurisdiction: request.jurisdiction }) };
  return jwt.sign(claims, { subject: request.sub, expiresIn: request.ttlSeconds });
}
