import { VerifiedTokens } from './verified-tokens';

describe('VerifiedTokens', () => {
  let now = 1_000_000;
  const clock = () => now;

  it('remembers a token until it expires, or until the key set would be fetched again if sooner', () => {
    const tokens = new VerifiedTokens(600_000, 10, clock);
    tokens.remember('short', now + 60_000);
    tokens.remember('long', now + 3_600_000);
    expect([tokens.has('short'), tokens.has('long'), tokens.has('never')]).toEqual([true, true, false]);
    now += 60_000;
    expect([tokens.has('short'), tokens.has('long')]).toEqual([false, true]);
    now += 540_000;
    expect(tokens.has('long')).toBe(false);
    expect(tokens.size).toBe(0);
  });

  it('does not remember a token that has already expired', () => {
    const tokens = new VerifiedTokens(600_000, 10, clock);
    tokens.remember('expired', now - 1);
    expect(tokens.has('expired')).toBe(false);
    expect(tokens.size).toBe(0);
  });

  it('stays within its capacity, forgetting the expired first and then the oldest', () => {
    const tokens = new VerifiedTokens(600_000, 3, clock);
    tokens.remember('a', now + 1_000);
    tokens.remember('b', now + 100_000);
    tokens.remember('c', now + 100_000);
    now += 2_000;
    tokens.remember('d', now + 100_000);
    expect(['a', 'b', 'c', 'd'].map((digest) => tokens.has(digest))).toEqual([false, true, true, true]);
    tokens.remember('e', now + 100_000);
    expect(['b', 'c', 'd', 'e'].map((digest) => tokens.has(digest))).toEqual([false, true, true, true]);
    expect(tokens.size).toBe(3);
  });

  it('names a token by its SHA-256, never by the token', () => {
    const digest = VerifiedTokens.digestOf('header.payload.signature');
    expect(digest).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(digest).not.toContain('payload');
  });
});
