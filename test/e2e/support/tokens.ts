import { signHs256Jwt } from '@ledger/platform';

export type TestRole = 'authority' | 'certifier' | 'registrar' | 'evaluator' | 'comptroller';

/** A token of the ledger's shape with any claims a test needs (a role it does not know, a claim of the wrong type), signed with `key`. */
export function signToken(key: string, claims: { sub: string; role: TestRole | string; org: string }, ttlSeconds = 3600, extra: Record<string, unknown> = {}): string {
  const now = Math.floor(Date.now() / 1000);
  return signHs256Jwt(key, { ...claims, iat: now, exp: now + ttlSeconds, ...extra });
}
