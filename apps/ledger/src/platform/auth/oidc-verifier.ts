import { Agent as HttpAgent } from 'node:http';
import { Agent as HttpsAgent } from 'node:https';
import type { Socket } from 'node:net';
import { createRemoteJWKSet, jwtVerify, type JWTPayload, type JWTVerifyGetKey } from 'jose';
import type { Actor } from '@ledger/domain';
import { actorFromClaims, isLoopbackHost, type OidcConfig } from '@ledger/platform';

/** Asymmetric algorithms only: a provider's public key can never be used as an HMAC secret (algorithm confusion), nor `none`. */
export const OIDC_ALGORITHMS: readonly string[] = ['RS256', 'ES256', 'EdDSA'];

/**
 * Why a token was not accepted: its status (401, or 503 when the provider's
 * keys cannot be had), a stable code and a message that names the claim or
 * the check, never the token or a claim's value.
 */
export class TokenRefusal extends Error {
  constructor(
    readonly status: 401 | 503,
    readonly code: string,
    message: string,
    readonly retryAfterSeconds?: number,
  ) {
    super(message);
    this.name = 'TokenRefusal';
  }
}

export interface VerifiedToken {
  readonly actor: Actor;
  /** When the token expires, in milliseconds since the epoch. */
  readonly expiresAtMs: number;
}

export interface OidcLogger {
  warn(message: string): void;
}

/** Thrown from key resolution when the provider cannot be reached or answers nonsense, to tell an outage from a bad token. */
class ProviderUnavailable extends Error {}

interface JoseError extends Error {
  code?: string;
  claim?: string;
}

/**
 * An agent whose every connection is destroyed after `ms`, however the
 * provider behaves: jose's own timeout covers the wait for the response's
 * headers, not a body that never ends, which would otherwise leave its
 * pending fetch (shared by every later request) hanging for good.
 */
function boundedAgent(protocol: string, ms: number): HttpAgent {
  const agent = protocol === 'https:' ? new HttpsAgent({ keepAlive: false }) : new HttpAgent({ keepAlive: false });
  const withAgent = agent as unknown as { createConnection: (...args: unknown[]) => Socket | undefined };
  const create = withAgent.createConnection.bind(agent);
  withAgent.createConnection = (...args: unknown[]) => {
    const socket = create(...args);
    if (socket) {
      const timer = setTimeout(() => socket.destroy(new Error(`no complete answer within ${ms} ms`)), ms);
      timer.unref();
      socket.once('close', () => clearTimeout(timer));
    }
    return socket;
  };
  return agent;
}

function isAcceptableUrl(text: unknown): text is string {
  if (typeof text !== 'string' || !URL.canParse(text)) return false;
  const url = new URL(text);
  return url.protocol === 'https:' || (url.protocol === 'http:' && isLoopbackHost(url.hostname));
}

/**
 * Verifies tokens of one OpenID Connect provider: its discovery document
 * (`<issuer>/.well-known/openid-configuration`) names its JWKS, which jose's
 * remote key set caches for `jwksMaxAgeSeconds` and fetches again on a key
 * id it does not know (at most every `jwksCooldownSeconds`). Discovery
 * happens on the first token, not at start, so a provider that is down does
 * not keep the ledger from starting; a failed discovery is retried after the
 * cooldown. No verification waits on the provider longer than `timeoutMs`:
 * past it, or when the provider cannot be reached, the answer is 503.
 */
export class OidcTokenVerifier {
  private keys?: JWTVerifyGetKey;
  private discovering?: Promise<JWTVerifyGetKey>;
  private discoveryFailedAt = -Infinity;
  private lastWarningAt = -Infinity;

  constructor(
    private readonly config: OidcConfig,
    private readonly logger: OidcLogger,
  ) {}

  /** The actor a token of the provider names, or a TokenRefusal. */
  async verify(token: string): Promise<VerifiedToken> {
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(this.unavailable(`the identity provider did not answer within ${this.config.timeoutMs} ms`)), this.config.timeoutMs);
    });
    const verification = this.verifyNow(token);
    // The loser of the race must not surface as an unhandled rejection.
    verification.catch(() => undefined);
    try {
      return await Promise.race([verification, deadline]);
    } finally {
      clearTimeout(timer);
    }
  }

  private async verifyNow(token: string): Promise<VerifiedToken> {
    const keys = await this.keySet();
    let payload: JWTPayload;
    try {
      ({ payload } = await jwtVerify(token, (header, jws) => this.keyFor(keys, header, jws), {
        issuer: this.config.issuer,
        audience: this.config.audience,
        algorithms: [...OIDC_ALGORITHMS],
        clockTolerance: this.config.clockSkewSeconds,
        requiredClaims: ['sub', 'exp', 'iat'],
      }));
    } catch (error) {
      throw this.refusalOf(error as JoseError);
    }
    const now = Math.floor(Date.now() / 1000);
    const iat = payload.iat as number;
    const exp = payload.exp as number;
    if (iat > now + this.config.clockSkewSeconds) throw new TokenRefusal(401, 'TOKEN_NOT_YET_VALID', 'The token was issued in the future ("iat")');
    if (exp - iat > this.config.maxTokenLifetimeSeconds) {
      throw new TokenRefusal(401, 'TOKEN_LIFETIME_TOO_LONG', `The token lives longer ("exp" − "iat") than the ${this.config.maxTokenLifetimeSeconds} s this ledger accepts`);
    }
    const actor = actorFromClaims(payload as Record<string, unknown>, this.config.claims);
    if (typeof actor === 'string') throw new TokenRefusal(401, 'UNAUTHENTICATED', `The token is not valid: ${actor}`);
    return { actor, expiresAtMs: exp * 1000 };
  }

  /** Tells a key the provider does not publish (the token's fault: 401) from a provider that cannot be asked (503). */
  private async keyFor(keys: JWTVerifyGetKey, ...args: Parameters<JWTVerifyGetKey>): Promise<Awaited<ReturnType<JWTVerifyGetKey>>> {
    try {
      return await keys(...args);
    } catch (error) {
      const code = (error as JoseError).code;
      if (code === 'ERR_JWKS_NO_MATCHING_KEY' || code === 'ERR_JWKS_MULTIPLE_MATCHING_KEYS' || code === 'ERR_JOSE_NOT_SUPPORTED') throw error;
      this.warn(`The identity provider's keys could not be fetched: ${(error as Error).message}`);
      throw new ProviderUnavailable();
    }
  }

  private keySet(): Promise<JWTVerifyGetKey> {
    if (this.keys) return Promise.resolve(this.keys);
    if (Date.now() - this.discoveryFailedAt < this.config.jwksCooldownSeconds * 1000) {
      return Promise.reject(this.unavailable('the identity provider\'s discovery document could not be read a moment ago'));
    }
    this.discovering ??= this.discover()
      .then((keys) => (this.keys = keys))
      .catch((error: Error) => {
        this.discoveryFailedAt = Date.now();
        this.warn(`The identity provider's discovery document could not be read: ${error.message}`);
        throw this.unavailable('the identity provider\'s discovery document could not be read');
      })
      .finally(() => (this.discovering = undefined));
    return this.discovering;
  }

  private async discover(): Promise<JWTVerifyGetKey> {
    const url = `${this.config.issuer.replace(/\/+$/, '')}/.well-known/openid-configuration`;
    const response = await fetch(url, { signal: AbortSignal.timeout(this.config.timeoutMs), redirect: 'error', headers: { accept: 'application/json' } });
    if (response.status !== 200) throw new Error(`${url} answered ${response.status}`);
    const document = (await response.json()) as Record<string, unknown> | null;
    // OpenID Connect Discovery 1.0 §4.3: the document must name the issuer it was asked for, or an attacker's could stand in.
    if (document?.issuer !== this.config.issuer) throw new Error(`${url} names another issuer than LEDGER_OIDC_ISSUER`);
    if (!isAcceptableUrl(document.jwks_uri)) throw new Error(`${url} names no https jwks_uri`);
    const jwksUri = new URL(document.jwks_uri);
    return createRemoteJWKSet(jwksUri, {
      timeoutDuration: this.config.timeoutMs,
      cooldownDuration: this.config.jwksCooldownSeconds * 1000,
      cacheMaxAge: this.config.jwksMaxAgeSeconds * 1000,
      agent: boundedAgent(jwksUri.protocol, this.config.timeoutMs),
    });
  }

  private unavailable(reason: string): TokenRefusal {
    return new TokenRefusal(503, 'IDENTITY_PROVIDER_UNAVAILABLE', `The token cannot be checked now: ${reason}; retry later`, this.config.jwksCooldownSeconds);
  }

  /** One warning per cooldown at most: an outage must not flood the log with a line per request. */
  private warn(message: string): void {
    if (Date.now() - this.lastWarningAt < this.config.jwksCooldownSeconds * 1000) return;
    this.lastWarningAt = Date.now();
    this.logger.warn(message);
  }

  private refusalOf(error: JoseError): TokenRefusal {
    if (error instanceof TokenRefusal) return error;
    if (error instanceof ProviderUnavailable) return this.unavailable('the identity provider\'s keys could not be fetched');
    switch (error.code) {
      case 'ERR_JWT_EXPIRED':
        return new TokenRefusal(401, 'TOKEN_EXPIRED', 'The token has expired');
      case 'ERR_JWT_CLAIM_VALIDATION_FAILED':
        if (error.claim === 'nbf') return new TokenRefusal(401, 'TOKEN_NOT_YET_VALID', 'The token is not valid yet ("nbf")');
        if (error.claim === 'iss') return new TokenRefusal(401, 'UNAUTHENTICATED', 'The token was not issued by the configured identity provider ("iss")');
        if (error.claim === 'aud') return new TokenRefusal(401, 'UNAUTHENTICATED', 'The token is not meant for this ledger ("aud")');
        return new TokenRefusal(401, 'UNAUTHENTICATED', `The token's "${error.claim ?? 'unknown'}" claim is missing or not valid`);
      case 'ERR_JOSE_ALG_NOT_ALLOWED':
        return new TokenRefusal(401, 'UNAUTHENTICATED', `The token's algorithm is not accepted (${OIDC_ALGORITHMS.join(', ')})`);
      case 'ERR_JWKS_NO_MATCHING_KEY':
        return new TokenRefusal(401, 'UNAUTHENTICATED', 'The token is signed by a key the identity provider does not publish ("kid")');
      case 'ERR_JWKS_MULTIPLE_MATCHING_KEYS':
        return new TokenRefusal(401, 'UNAUTHENTICATED', 'The token names no key ("kid") and the identity provider publishes several');
      case 'ERR_JWS_SIGNATURE_VERIFICATION_FAILED':
        return new TokenRefusal(401, 'UNAUTHENTICATED', 'The token\'s signature does not verify');
      default:
        return new TokenRefusal(401, 'UNAUTHENTICATED', 'The token is not valid');
    }
  }
}
