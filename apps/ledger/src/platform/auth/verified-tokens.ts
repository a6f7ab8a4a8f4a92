import { createHash } from 'node:crypto';

/** How many verified tokens the edge remembers; past it the oldest are forgotten (they are verified again, nothing more). */
export const VERIFIED_TOKENS_CAPACITY = 10_000;

/**
 * Identity provider tokens the ledger has verified, remembered by their
 * SHA-256 (never the token itself) until they expire or the provider's key
 * set would be fetched again, whichever comes first, so that a token whose
 * key was revoked stops counting as verified within the same bound as at the
 * guard. The edge asks this synchronously; it only decides whether a public
 * request is rate limited, never whether a route may be used.
 */
export class VerifiedTokens {
  private readonly untilMs = new Map<string, number>();

  constructor(
    private readonly maxAgeMs: number,
    private readonly capacity = VERIFIED_TOKENS_CAPACITY,
    private readonly now: () => number = Date.now,
  ) {}

  static digestOf(token: string): string {
    return createHash('sha256').update(token).digest('base64url');
  }

  remember(digest: string, expiresAtMs: number): void {
    const now = this.now();
    const until = Math.min(expiresAtMs, now + this.maxAgeMs);
    if (until <= now) return;
    if (!this.untilMs.has(digest) && this.untilMs.size >= this.capacity) this.makeRoom(now);
    this.untilMs.delete(digest);
    this.untilMs.set(digest, until);
  }

  has(digest: string): boolean {
    const until = this.untilMs.get(digest);
    if (until === undefined) return false;
    if (until > this.now()) return true;
    this.untilMs.delete(digest);
    return false;
  }

  get size(): number {
    return this.untilMs.size;
  }

  private makeRoom(now: number): void {
    for (const [digest, until] of this.untilMs) if (until <= now) this.untilMs.delete(digest);
    // Still full: forget the oldest remembered (a Map iterates in insertion order).
    while (this.untilMs.size >= this.capacity) this.untilMs.delete(this.untilMs.keys().next().value as string);
  }
}
