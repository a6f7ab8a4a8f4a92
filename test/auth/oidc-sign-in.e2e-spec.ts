import { createHmac } from 'node:crypto';
import { exportSPKI } from 'jose';
import { eventually } from '../support/eventually';
import { POSTGRES_MODE, type LedgerUnderTest } from '../e2e/support/ledger-modes';
import type { LedgerServer } from '../e2e/support/ledger-server';
import { signToken } from '../e2e/support/tokens';
import { LoopbackIdentityProvider, type ProviderKey, type SignOptions } from './support/identity-provider';

/** The ledger's settings for the provider: short cache and cooldown so rotation and revocation show within seconds. */
const JWKS_MAX_AGE_SECONDS = 3;
const JWKS_COOLDOWN_SECONDS = 1;
const TIMEOUT_SECONDS = 1;

interface Answer {
  status: number;
  headers: Headers;
  body: Record<string, any>;
  text: string;
  ms: number;
}

function base64url(value: string | Buffer): string {
  return Buffer.from(value).toString('base64url');
}

/**
 * Signing in with a government's identity provider: a real ledger started
 * against an OpenID Connect provider on loopback (discovery document and
 * JWKS), verifying its RS256, ES256 and EdDSA tokens beside the ledger's own
 * development tokens, refusing every token it should with a 401 that names
 * the reason, following a key rotation and a revocation without a restart,
 * and answering 503 in bounded time when the provider's keys cannot be had.
 */
describe('sign-in with an OpenID Connect provider', () => {
  let idp: LoopbackIdentityProvider;
  let ledger: LedgerUnderTest;
  let server: LedgerServer;
  let rsa: ProviderKey;
  let ec: ProviderKey;
  let ed: ProviderKey;

  const call = async (path: string, authorization?: string, init: RequestInit = {}): Promise<Answer> => {
    const started = Date.now();
    const headers = new Headers(init.headers);
    if (authorization !== undefined) headers.set('authorization', authorization);
    const response = await fetch(`${server.baseUrl}${path}`, { ...init, headers });
    const text = await response.text();
    let body: Record<string, any> = {};
    try {
      body = JSON.parse(text);
    } catch {
      // not JSON: the tests that care look at text
    }
    return { status: response.status, headers: response.headers, body, text, ms: Date.now() - started };
  };
  const token = (claims: Record<string, unknown>, options: Partial<SignOptions> = {}) => idp.sign(claims, { key: rsa, ...options });
  const comptroller = (options: Partial<SignOptions> = {}, claims: Record<string, unknown> = {}) =>
    token({ sub: 'auditor-qr-1', role: 'comptroller', org: 'SECOES-QR', ...claims }, options);
  /** A comptroller-only route: 200 says the token was accepted as a comptroller's; 403 that it named another role. */
  const audit = (bearer: string) => call('/v1/audit/events?limit=1', `Bearer ${bearer}`);

  /** A refusal of the ledger's edge: 401 problem+json with the code, naming the reason, never echoing the token. */
  const expectRefused = (answer: Answer, bearer: string, code: string, detail: RegExp) => {
    expect({ status: answer.status, type: answer.headers.get('content-type'), code: answer.body.code, detail: answer.body.detail }).toEqual({
      status: 401,
      type: expect.stringMatching(/^application\/problem\+json/),
      code,
      detail: expect.stringMatching(detail),
    });
    for (const part of bearer.split('.').filter((piece) => piece.length >= 8)) expect(answer.text).not.toContain(part);
  };

  beforeAll(async () => {
    idp = await LoopbackIdentityProvider.start();
    [rsa, ec, ed] = [await idp.addKey('RS256'), await idp.addKey('ES256'), await idp.addKey('EdDSA')];
    ledger = await POSTGRES_MODE.start({
      databasePrefix: 'oidc_sign_in',
      server: {
        env: {
          LEDGER_OIDC_ISSUER: idp.issuer,
          LEDGER_OIDC_AUDIENCE: idp.audience,
          LEDGER_OIDC_JWKS_MAX_AGE: String(JWKS_MAX_AGE_SECONDS),
          LEDGER_OIDC_JWKS_COOLDOWN: String(JWKS_COOLDOWN_SECONDS),
          LEDGER_OIDC_TIMEOUT: String(TIMEOUT_SECONDS),
          // The refusals below are failed authentications; 1,000 a minute leaves room for all of them (the limit's own bite is http-edge's).
          LEDGER_RATE_LIMIT: '10000',
        },
      },
    });
    server = ledger.server;
  }, 150_000);
  afterAll(async () => {
    await ledger?.stop();
    await idp?.stop();
  });

  it('accepts tokens signed with RS256, ES256 and EdDSA, and records the provider\'s subject as the actor of what it writes', async () => {
    const codes = { RS256: 'EC0105', ES256: 'EC0217', EdDSA: 'EC0301' };
    let position = '';
    for (const key of [rsa, ec, ed]) {
      const authority = await idp.sign({ sub: `conocer-${key.alg.toLowerCase()}`, role: 'authority', org: 'CONOCER' }, { key });
      const written = await call('/v1/standards', `Bearer ${authority}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ code: codes[key.alg], version: '01', title: `Estándar firmado con ${key.alg}`, validityYears: 5 }),
      });
      expect({ alg: key.alg, status: written.status }).toEqual({ alg: key.alg, status: 201 });
      position = written.body.position;
    }
    // minPosition: read-your-writes, the answer waits for the projection to reach the last command.
    const trail = await call(`/v1/audit/events?type=StandardRegistered&limit=10&minPosition=${position}`, `Bearer ${await comptroller({ key: ed })}`);
    expect(trail.status).toBe(200);
    expect(trail.body.items.map((row: { actor: unknown }) => row.actor)).toEqual(
      expect.arrayContaining(['conocer-rs256', 'conocer-es256', 'conocer-eddsa'].map((id) => ({ id, role: 'authority', organizationId: 'CONOCER' }))),
    );
  });

  it('authenticates every role, the privacy office included, and leaves authorization to the routes', async () => {
    const statuses: Record<string, number> = {};
    for (const role of ['authority', 'certifier', 'registrar', 'evaluator', 'comptroller', 'privacy']) {
      const answer = await audit(await token({ sub: `${role}-1`, role, org: 'ORG-1' }));
      statuses[role] = answer.status === 403 ? (answer.body.code === 'ROLE_NOT_ALLOWED' ? 403 : -1) : answer.status;
    }
    expect(statuses).toEqual({ authority: 403, certifier: 403, registrar: 403, evaluator: 403, comptroller: 200, privacy: 403 });
  });

  it('accepts a comptroller scoped to a state, and refuses a jurisdiction claim that is no state code, naming the claim', async () => {
    expect((await audit(await comptroller({}, { jurisdiction: 'QR' }))).status).toBe(200);
    expect((await audit(await comptroller({}, { jurisdiction: 'CMX' }))).status).toBe(200);
    for (const jurisdiction of ['Quintana Roo', 'qr', 'XX', 23, ['QR']]) {
      const bearer = await comptroller({}, { jurisdiction });
      expectRefused(await audit(bearer), bearer, 'UNAUTHENTICATED', /"jurisdiction" claim is not a state code/);
    }
    // Another role is not scoped by a jurisdiction: the claim is ignored on its token.
    const registrar = await token({ sub: 'registrar-qr', role: 'registrar', org: 'CECATI-149', jurisdiction: 'nowhere' });
    expect((await audit(registrar)).body.code).toBe('ROLE_NOT_ALLOWED');
  });

  it('keeps accepting the ledger\'s development tokens, a scoped comptroller\'s included, beside the provider\'s', async () => {
    expect((await audit(signToken(server.secrets.tokenKey, { sub: 'auditor-1', role: 'comptroller', org: 'SECOGEF' }))).status).toBe(200);
    expect((await audit(signToken(server.secrets.tokenKey, { sub: 'auditor-2', role: 'comptroller', org: 'SECOGEF' }, 3600, { jurisdiction: 'BC' }))).status).toBe(200);
    expect((await audit(signToken(server.secrets.tokenKey, { sub: 'privacy-1', role: 'privacy', org: 'UT-SFP' }))).body.code).toBe('ROLE_NOT_ALLOWED');
    const unscopable = signToken(server.secrets.tokenKey, { sub: 'auditor-3', role: 'comptroller', org: 'SECOGEF' }, 3600, { jurisdiction: 'Baja California' });
    expectRefused(await audit(unscopable), unscopable, 'UNAUTHENTICATED', /"jurisdiction" claim/);
  });

  it('refuses the provider\'s tokens that fail a check, each with its code and reason', async () => {
    const cases: Array<[string, string, string, RegExp]> = [
      ['another issuer', await comptroller({ issuer: `${idp.issuer}-impostor` }), 'UNAUTHENTICATED', /not issued by the configured identity provider/],
      ['another audience', await comptroller({ audience: 'another-app' }), 'UNAUTHENTICATED', /not meant for this ledger/],
      ['expired a minute ago (skew is 30 s)', await comptroller({ issuedAt: -600, expiresIn: -60 }), 'TOKEN_EXPIRED', /expired/],
      ['valid two minutes from now', await comptroller({ notBefore: 120 }), 'TOKEN_NOT_YET_VALID', /not valid yet/],
      ['issued two minutes from now', await comptroller({ issuedAt: 120, expiresIn: 600 }), 'TOKEN_NOT_YET_VALID', /issued in the future/],
      ['living two hours (the cap is one)', await comptroller({ expiresIn: 7200 }), 'TOKEN_LIFETIME_TOO_LONG', /3600 s/],
      ['without exp', await comptroller({ noExpiry: true }), 'UNAUTHENTICATED', /"exp" claim/],
      ['signed by a key the provider does not publish', await comptroller({ key: await idp.addKey('RS256', { publish: false }) }), 'UNAUTHENTICATED', /does not publish/],
      ['whose signature is another key\'s under a published kid', await comptroller({ key: { ...(await idp.addKey('ES256', { publish: false })), kid: ec.kid } }), 'UNAUTHENTICATED', /signature does not verify/],
      ['with a role list for a role', await comptroller({}, { role: ['comptroller'] }), 'UNAUTHENTICATED', /"role" claim/],
      ['with a number for an organization', await comptroller({}, { org: 322 }), 'UNAUTHENTICATED', /"org" claim/],
      ['with a subject that is no identifier', await comptroller({}, { sub: 'auth0|5f7c8ec7c33c6c004bbafe82' }), 'UNAUTHENTICATED', /"sub" claim/],
      ['with a number for a subject', await comptroller({}, { sub: 7 }), 'UNAUTHENTICATED', /"sub" claim/],
    ];
    const outcomes = [];
    for (const [name, bearer, code, detail] of cases) {
      const answer = await audit(bearer);
      outcomes.push({ name, status: answer.status, code: answer.body.code });
      expectRefused(answer, bearer, code, detail);
    }
    expect(outcomes.every((outcome) => outcome.status === 401)).toBe(true);
    // Within the skew the same checks pass.
    expect((await audit(await comptroller({ issuedAt: -600, expiresIn: -10 }))).status).toBe(200);
    expect((await audit(await comptroller({ notBefore: 10 }))).status).toBe(200);
    expect((await audit(await comptroller({ expiresIn: 3600 }))).status).toBe(200);
  });

  it('refuses alg none, and HS256 made with the provider\'s public key as the secret (algorithm confusion)', async () => {
    const now = Math.floor(Date.now() / 1000);
    const payload = base64url(JSON.stringify({ iss: idp.issuer, aud: idp.audience, sub: 'intruder', role: 'authority', org: 'CONOCER', iat: now, exp: now + 300 }));
    const none = `${base64url(JSON.stringify({ alg: 'none', typ: 'JWT' }))}.${payload}.`;
    expectRefused(await audit(none), none, 'UNAUTHENTICATED', /bearer token is required|not valid/);
    const noneSigned = `${base64url(JSON.stringify({ alg: 'none', kid: rsa.kid }))}.${payload}.${base64url('x')}`;
    expectRefused(await audit(noneSigned), noneSigned, 'UNAUTHENTICATED', /not valid/);
    for (const secret of [await exportSPKI(rsa.publicKey), JSON.stringify(rsa.publicJwk), rsa.publicJwk.n as string]) {
      const header = base64url(JSON.stringify({ alg: 'HS256', typ: 'JWT', kid: rsa.kid }));
      const confused = `${header}.${payload}.${createHmac('sha256', secret).update(`${header}.${payload}`).digest('base64url')}`;
      expectRefused(await audit(confused), confused, 'UNAUTHENTICATED', /not valid/);
    }
    const rs384 = `${base64url(JSON.stringify({ alg: 'RS384', kid: rsa.kid }))}.${payload}.${base64url('signature')}`;
    expectRefused(await audit(rs384), rs384, 'UNAUTHENTICATED', /not valid/);
  });

  it('answers a garbage or huge Authorization header 401 (431 past what Node reads), and counts each as a failed authentication', async () => {
    const garbage = ['Bearer', 'Bearer ', 'Basic dXNlcjpwYXNz', 'Bearer a.b.c', 'Bearer eyJhbGciOiJSUzI1NiJ9.e30.', `Bearer ${'A'.repeat(200)}.${'B'.repeat(200)}.${'C'.repeat(200)}`, 'Bearer ..'];
    const remaining: number[] = [];
    for (const header of garbage) {
      const answer = await call('/v1/audit/events?limit=1', header);
      expect({ header: header.slice(0, 20), status: answer.status, code: answer.body.code }).toEqual({ header: header.slice(0, 20), status: 401, code: 'UNAUTHENTICATED' });
      remaining.push(Number(/remaining=(\d+)/.exec(answer.headers.get('ratelimit') ?? '')?.[1]));
    }
    // The failed-authentication limiter counted every one of them.
    expect(Number.isInteger(remaining[0])).toBe(true);
    expect(remaining.every((left, index) => index === 0 || left === remaining[index - 1] - 1)).toBe(true);
    const huge = `${base64url('{"alg":"RS256"}')}.${'x'.repeat(10_000)}.${'y'.repeat(200)}`;
    const answer = await audit(huge);
    expectRefused(answer, huge, 'UNAUTHENTICATED', /longer than the 8192 characters/);
    const tooLarge = await audit(`${'z'.repeat(20_000)}.a.b`);
    expect({ status: tooLarge.status, code: tooLarge.body.code }).toEqual({ status: 431, code: 'REQUEST_HEADERS_TOO_LARGE' });
  });

  it('leaves the public routes\' rate limit alone for a provider token once verified, never for a forged one', async () => {
    const known = `Bearer ${await comptroller()}`;
    // The first request with it is counted; the edge verifies it meanwhile, and from then on it is not.
    const exempt = await eventually(async () => {
      const answer = await call('/v1/log/checkpoint', known);
      return answer.headers.get('ratelimit') === null ? answer : undefined;
    }, 10_000);
    expect(exempt.status).not.toBe(429);
    const forged = `Bearer ${await comptroller({ key: { ...(await idp.addKey('RS256', { publish: false })), kid: rsa.kid } })}`;
    for (let attempt = 0; attempt < 5; attempt += 1) expect((await call('/v1/log/checkpoint', forged)).headers.get('ratelimit')).not.toBeNull();
  });

  it('follows a key rotation without a restart: a token of a newly published key is accepted once the ledger fetches the keys again', async () => {
    const next = await idp.addKey('ES256', { publish: false });
    const bearer = await comptroller({ key: next });
    expectRefused(await audit(bearer), bearer, 'UNAUTHENTICATED', /does not publish/);
    const publishedAt = Date.now();
    idp.publish(next);
    // An unknown kid makes the ledger fetch the keys again, at most once per cooldown.
    const accepted = await eventually(async () => ((await audit(bearer)).status === 200 ? Date.now() : undefined), 10_000, 200);
    expect(idp.jwksFetches.some((at) => at >= publishedAt && at <= accepted)).toBe(true);
    expect(accepted - publishedAt).toBeLessThan((JWKS_COOLDOWN_SECONDS + 3) * 1000);
    // The previous keys still verify: rotation publishes the new key beside the old ones.
    expect((await audit(await comptroller({ key: rsa }))).status).toBe(200);
  });

  it(`refuses a revoked key's tokens once the ledger fetches the keys again, within ${JWKS_MAX_AGE_SECONDS} s (LEDGER_OIDC_JWKS_MAX_AGE)`, async () => {
    const doomed = await idp.addKey('EdDSA');
    const bearer = await comptroller({ key: doomed });
    await eventually(async () => ((await audit(bearer)).status === 200 ? true : undefined), 10_000, 200);
    const revokedAt = Date.now();
    idp.revoke(doomed);
    const accepted: number[] = [];
    const refused = await eventually(
      async () => {
        const answer = await audit(bearer);
        if (answer.status === 200) accepted.push(Date.now());
        return answer.status === 401 ? { answer, at: Date.now() } : undefined;
      },
      (JWKS_MAX_AGE_SECONDS + 10) * 1000,
      200,
    );
    expectRefused(refused.answer, bearer, 'UNAUTHENTICATED', /does not publish/);
    const refetchedAt = idp.jwksFetches.find((at) => at >= revokedAt);
    expect(refetchedAt).toBeDefined();
    // Accepted only until the keys were fetched again, and refused no later than the cache's age past the revocation.
    expect(accepted.every((at) => at <= (refetchedAt as number) + 100)).toBe(true);
    expect(refused.at - revokedAt).toBeLessThan((JWKS_MAX_AGE_SECONDS + 2) * 1000);
    // The keys it still publishes keep working.
    expect((await audit(await comptroller({ key: ec }))).status).toBe(200);
  });

  it('answers 503 with Retry-After, in bounded time and never 500, while the provider\'s keys cannot be fetched, and recovers without a restart', async () => {
    const bearer = await comptroller({ key: ec });
    for (const behaviour of ['stalled', 'failing'] as const) {
      idp.behaviour = behaviour;
      const unavailable = await eventually(
        async () => {
          const answer = await audit(bearer);
          expect([200, 503]).toContain(answer.status);
          expect(answer.ms).toBeLessThan(TIMEOUT_SECONDS * 1000 + 2000);
          return answer.status === 503 ? answer : undefined;
        },
        (JWKS_MAX_AGE_SECONDS + 10) * 1000,
        200,
      );
      expect({ behaviour, code: unavailable.body.code, type: unavailable.headers.get('content-type'), retryAfter: unavailable.headers.get('retry-after') }).toEqual({
        behaviour,
        code: 'IDENTITY_PROVIDER_UNAVAILABLE',
        type: expect.stringMatching(/^application\/problem\+json/),
        retryAfter: String(JWKS_COOLDOWN_SECONDS),
      });
      expect(unavailable.text).not.toContain(bearer.split('.')[1]);
      // Every request in the outage is answered in bounded time, however many come at once.
      const burst = await Promise.all(Array.from({ length: 8 }, () => audit(bearer)));
      expect(burst.map((answer) => answer.status === 503 && answer.ms < TIMEOUT_SECONDS * 1000 + 2000)).toEqual(Array(8).fill(true));
      idp.behaviour = 'normal';
      idp.release();
      await eventually(async () => ((await audit(bearer)).status === 200 ? true : undefined), 10_000, 200);
    }
    // Development tokens never depended on the provider.
    expect((await audit(signToken(server.secrets.tokenKey, { sub: 'auditor-1', role: 'comptroller', org: 'SECOGEF' }))).status).toBe(200);
    // The operator is told, once per cooldown rather than once per request, and never shown a token.
    expect(server.output()).toMatch(/identity provider's keys could not be fetched/);
    expect(server.output()).not.toContain(bearer.split('.')[1]);
    expect(server.output()).not.toContain(bearer.split('.')[2]);
  });
});
