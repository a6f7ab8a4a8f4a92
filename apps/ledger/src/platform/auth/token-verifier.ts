import { Inject, Injectable, Logger } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import { decodeJwt, decodeProtectedHeader } from 'jose';
import type { Actor } from '@ledger/domain';
import { actorFromClaims, type LedgerConfig } from '@ledger/platform';
import { LEDGER_CONFIG } from '../config/config.tokens';
import { ProblemException } from '../errors/problem.exception';
import { OIDC_ALGORITHMS, OidcTokenVerifier, TokenRefusal } from './oidc-verifier';
import { VerifiedTokens } from './verified-tokens';

const BEARER = /^Bearer ([A-Za-z0-9_\-]+\.[A-Za-z0-9_\-]+\.[A-Za-z0-9_\-]+)$/;

/**
 * The longest token read. Identity providers' tokens with a few dozen claims
 * stay well under 4 KB; anything much longer is junk or an attempt to make
 * the ledger parse and hash megabytes (Node itself refuses headers past 16 KB).
 */
export const MAX_TOKEN_LENGTH = 8192;

/** Identity provider tokens the edge verifies in the background at once, at most; more simply wait for a later request. */
const MAX_BACKGROUND_VERIFICATIONS = 16;

function tokenOf(header: string | undefined): string | undefined {
  if (!header || header.length > MAX_TOKEN_LENGTH + 'Bearer '.length) return undefined;
  return BEARER.exec(header)?.[1];
}

/** The token's `alg`, or undefined for something that is no JWS at all. */
function algorithmOf(token: string): string | undefined {
  try {
    const alg = decodeProtectedHeader(token).alg;
    return typeof alg === 'string' ? alg : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Who a bearer token names. Two kinds of token are accepted:
 * - development tokens (HS256, signed with the ledger's token key; `ledger
 *   token` issues them), unless LEDGER_DEV_TOKENS=off;
 * - tokens of the configured OpenID Connect provider (RS256, ES256 or EdDSA,
 *   verified against its JWKS), when LEDGER_OIDC_ISSUER is set.
 * The header's `alg` says which to try: an HS256 token is only ever checked
 * against the ledger's key, an asymmetric one only against the provider's
 * keys, so a provider's public key can never serve as an HMAC secret.
 */
@Injectable()
export class TokenVerifier {
  private readonly oidc?: OidcTokenVerifier;
  private readonly verified?: VerifiedTokens;
  private readonly verifying = new Set<string>();
  private readonly devTokens: boolean;
  private readonly issuer?: string;

  constructor(
    @Inject(LEDGER_CONFIG) config: LedgerConfig,
    private readonly jwt: JwtService,
  ) {
    this.devTokens = config.devTokens;
    if (config.oidc) {
      this.oidc = new OidcTokenVerifier(config.oidc, new Logger('IdentityProvider'));
      this.verified = new VerifiedTokens(config.oidc.jwksMaxAgeSeconds * 1000);
      this.issuer = config.oidc.issuer;
    }
  }

  /** The actor the Authorization header names; a ProblemException (401, or 503 when the provider's keys cannot be had) otherwise. */
  async authenticate(header: string | undefined): Promise<Actor> {
    if (header !== undefined && header.length > MAX_TOKEN_LENGTH + 'Bearer '.length) {
      throw new ProblemException(401, 'UNAUTHENTICATED', `The bearer token is longer than the ${MAX_TOKEN_LENGTH} characters this ledger reads`);
    }
    const token = tokenOf(header);
    if (!token) throw new ProblemException(401, 'UNAUTHENTICATED', 'A bearer token is required');
    const alg = algorithmOf(token);
    if (alg === 'HS256') return this.developmentActor(token);
    if (this.oidc && alg !== undefined && OIDC_ALGORITHMS.includes(alg)) return this.providerActor(token);
    throw new ProblemException(401, 'UNAUTHENTICATED', 'The token is not valid');
  }

  /**
   * Whether an Authorization header holds a token this ledger would accept,
   * answered synchronously at the edge so that the public routes' rate limit
   * can leave known callers alone; a bad token here is simply no reason to
   * skip the limit (the guard still answers it).
   *
   * A development token is verified on the spot (HMAC). A provider token
   * cannot be (its key may have to be fetched, and jose verifies
   * asynchronously): it counts once the ledger has verified it, at the
   * guard or in the background here, which this starts on the first
   * request that carries it; that request, and any before the verification
   * ends, are counted like anyone's.
   */
  carriesValidToken(header: string | undefined): boolean {
    const token = tokenOf(header);
    if (!token) return false;
    const alg = algorithmOf(token);
    if (alg === 'HS256') return this.devTokens && this.isValidDevelopmentToken(token);
    if (!this.oidc || !this.verified || alg === undefined || !OIDC_ALGORITHMS.includes(alg)) return false;
    const digest = VerifiedTokens.digestOf(token);
    if (this.verified.has(digest)) return true;
    this.verifyInBackground(token, digest);
    return false;
  }

  private isValidDevelopmentToken(token: string): boolean {
    try {
      return typeof actorFromClaims(this.jwt.verify(token, { algorithms: ['HS256'] })) !== 'string';
    } catch {
      return false;
    }
  }

  private verifyInBackground(token: string, digest: string): void {
    const oidc = this.oidc as OidcTokenVerifier;
    if (this.verifying.has(digest) || this.verifying.size >= MAX_BACKGROUND_VERIFICATIONS) return;
    try {
      // A token of another issuer is not worth a signature check.
      if (decodeJwt(token).iss !== this.issuer) return;
    } catch {
      return;
    }
    this.verifying.add(digest);
    oidc
      .verify(token)
      .then((verified) => this.verified?.remember(digest, verified.expiresAtMs))
      .catch(() => undefined)
      .finally(() => this.verifying.delete(digest));
  }

  private async developmentActor(token: string): Promise<Actor> {
    if (!this.devTokens) throw new ProblemException(401, 'UNAUTHENTICATED', 'Development tokens are not accepted by this ledger (LEDGER_DEV_TOKENS=off)');
    let claims: Record<string, unknown>;
    try {
      claims = await this.jwt.verifyAsync(token, { algorithms: ['HS256'] });
    } catch (error) {
      const expired = (error as Error).name === 'TokenExpiredError';
      throw new ProblemException(401, expired ? 'TOKEN_EXPIRED' : 'UNAUTHENTICATED', expired ? 'The token has expired' : 'The token is not valid');
    }
    const actor = actorFromClaims(claims);
    if (typeof actor === 'string') throw new ProblemException(401, 'UNAUTHENTICATED', `The token is not valid: ${actor}`);
    return actor;
  }

  private async providerActor(token: string): Promise<Actor> {
    try {
      const verified = await (this.oidc as OidcTokenVerifier).verify(token);
      this.verified?.remember(VerifiedTokens.digestOf(token), verified.expiresAtMs);
      return verified.actor;
    } catch (error) {
      if (!(error instanceof TokenRefusal)) throw error;
      const headers = error.retryAfterSeconds === undefined ? undefined : { 'Retry-After': String(error.retryAfterSeconds) };
      throw new ProblemException(error.status, error.code, error.message, undefined, headers);
    }
  }
}
