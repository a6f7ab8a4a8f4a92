import { JwtService } from '@nestjs/jwt';
import type { Role } from '@ledger/domain';

export interface TokenRequest {
  sub: string;
  role: Role;
  org: string;
  /** Lifetime in seconds. */
  ttlSeconds: number;
}

/** Signs a ledger token (HS256) with the ledger's token key; the CLI and tests use it. */
export function signLedgerToken(tokenKey: string, request: TokenRequest): string {
  const jwt = new JwtService({ secret: tokenKey, signOptions: { algorithm: 'HS256' } });
  return jwt.sign({ role: request.role, org: request.org }, { subject: request.sub, expiresIn: request.ttlSeconds });
}
