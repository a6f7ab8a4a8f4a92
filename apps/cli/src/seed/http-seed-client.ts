import type { SeedActor, SeedClient } from './demo-scenario';
import { signLedgerToken } from '@ledger/platform';

/** A command the ledger refused, with the problem it answered. */
export class SeedCommandRefused extends Error {
  constructor(readonly status: number, readonly path: string, readonly problem: { code?: string; detail?: string }) {
    super(`${path} answered ${status} ${problem.code ?? ''}: ${problem.detail ?? ''}`.trim());
    this.name = 'SeedCommandRefused';
  }
}

/**
 * Sends the demo's commands to a ledger over HTTP with development tokens
 * signed by the ledger's own key, exactly as a provider's client would.
 * Tokens are signed once per actor.
 */
export class HttpSeedClient implements SeedClient {
  private readonly tokens = new Map<string, string>();

  constructor(private readonly baseUrl: string, private readonly tokenKey: string) {}

  async post<T>(as: SeedActor, path: string, body: unknown): Promise<T> {
    const response = await fetch(new URL(path, this.baseUrl), {
      method: 'POST',
      headers: { authorization: `Bearer ${this.tokenFor(as)}`, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    const payload = (await response.json().catch(() => ({}))) as Record<string, unknown>;
    if (!response.ok) throw new SeedCommandRefused(response.status, path, payload);
    return payload as T;
  }

  private tokenFor(as: SeedActor): string {
    const key = `${as.role}|${as.org}|${as.sub}`;
    let token = this.tokens.get(key);
    if (!token) {
      token = signLedgerToken(this.tokenKey, { sub: as.sub, role: as.role, org: as.org, ttlSeconds: 4 * 3600 });
      this.tokens.set(key, token);
    }
    return token;
  }
}
