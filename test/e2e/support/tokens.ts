import { createHmac } from 'node:crypto';

export type TestRole = 'authority' | 'certifier' | 'registrar' | 'evaluator' | 'comptroller';

function base64url(value: string | Buffer): string {
  return Buffer.from(value).toString('base64url');
}

/**
 * An HS256 JWT signed with node:crypto. The app signs with @nestjs/jwt, but
 * that package is an ES module Jest cannot load; a JWT is simple enough to
 * build by hand, and doing so also checks that the server accepts any
 * standard HS256 token, not just its own library's.
 */
export function signToken(key: string, claims: { sub: string; role: TestRole | string; org: string }, ttlSeconds = 3600, extra: Record<string, unknown> = {}): string {
  const now = Math.floor(Date.now() / 1000);
  const header = base64url(JSON.stringify({ alg: 'HS256', typ: 'JWT' }));
  const payload = base64url(JSON.stringify({ ...claims, iat: now, exp: now + ttlSeconds, ...extra }));
  const signature = createHmac('sha256', key).update(`${header}.${payload}`).digest('base64url');
  return `${header}.${payload}.${signature}`;
}
