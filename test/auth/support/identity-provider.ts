import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair, SignJWT, type JWK, type JWTPayload, type KeyLike } from 'jose';

export type SigningAlgorithm = 'RS256' | 'ES256' | 'EdDSA';

export interface ProviderKey {
  readonly kid: string;
  readonly alg: SigningAlgorithm;
  readonly privateKey: KeyLike;
  readonly publicKey: KeyLike;
  readonly publicJwk: JWK;
}

/** How the provider answers: normally, with 500s, or not at all (it holds every request open). */
export type ProviderBehaviour = 'normal' | 'failing' | 'stalled';

export interface SignOptions {
  key: ProviderKey;
  /** Seconds from now; default 300. */
  expiresIn?: number;
  /** Seconds from now; default 0. */
  issuedAt?: number;
  notBefore?: number;
  issuer?: string;
  audience?: string;
  /** Leave `exp` out. */
  noExpiry?: boolean;
  /** Header parameters that replace the usual ones (alg, kid). */
  header?: Record<string, unknown>;
}

/**
 * An OpenID Connect provider on 127.0.0.1, as little of one as the ledger
 * needs: a discovery document naming its issuer and JWKS, and the JWKS
 * (the public halves of the keys it publishes right now). It signs tokens
 * with jose, as a real provider signs with its own library; it counts and
 * times every fetch of its keys so tests can tell when the ledger refreshed.
 */
export class LoopbackIdentityProvider {
  readonly keys = new Map<string, ProviderKey>();
  private readonly published = new Set<string>();
  private readonly held: ServerResponse[] = [];
  readonly jwksFetches: number[] = [];
  readonly discoveryFetches: number[] = [];
  behaviour: ProviderBehaviour = 'normal';
  private keyCount = 0;

  private constructor(
    private readonly server: Server,
    readonly issuer: string,
    readonly audience: string,
  ) {}

  static async start(audience = 'certification-ledger'): Promise<LoopbackIdentityProvider> {
    let provider: LoopbackIdentityProvider | undefined;
    const server = createServer((request, response) => provider?.answer(request, response));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    provider = new LoopbackIdentityProvider(server, `http://127.0.0.1:${port}/realms/gobierno`, audience);
    return provider;
  }

  get jwksUri(): string {
    return `${this.issuer}/protocol/openid-connect/certs`;
  }

  /** A new key pair; published at once unless told otherwise. */
  async addKey(alg: SigningAlgorithm, { publish = true } = {}): Promise<ProviderKey> {
    this.keyCount += 1;
    const { privateKey, publicKey } = await generateKeyPair(alg, { extractable: true, ...(alg === 'EdDSA' ? { crv: 'Ed25519' } : {}) });
    const kid = `${alg.toLowerCase()}-${this.keyCount}`;
    const publicJwk = { ...(await exportJWK(publicKey)), kid, alg, use: 'sig' };
    const key = { kid, alg, privateKey, publicKey, publicJwk };
    this.keys.set(kid, key);
    if (publish) this.publish(key);
    return key;
  }

  publish(key: ProviderKey): void {
    this.published.add(key.kid);
  }

  /** Stops publishing the key: what a provider does when a key is revoked. */
  revoke(key: ProviderKey): void {
    this.published.delete(key.kid);
  }

  async sign(claims: JWTPayload, options: SignOptions): Promise<string> {
    const now = Math.floor(Date.now() / 1000);
    let jwt = new SignJWT(claims)
      .setProtectedHeader({ alg: options.key.alg, kid: options.key.kid, typ: 'JWT', ...options.header } as { alg: string })
      .setIssuer(options.issuer ?? this.issuer)
      .setAudience(options.audience ?? this.audience)
      .setIssuedAt(now + (options.issuedAt ?? 0));
    if (!options.noExpiry) jwt = jwt.setExpirationTime(now + (options.expiresIn ?? 300));
    if (options.notBefore !== undefined) jwt = jwt.setNotBefore(now + options.notBefore);
    return jwt.sign(options.key.privateKey);
  }

  /** Answers the requests held open while stalled, with the current behaviour. */
  release(): void {
    for (const response of this.held.splice(0)) response.destroy();
  }

  async stop(): Promise<void> {
    this.release();
    this.server.closeAllConnections();
    await new Promise((resolve) => this.server.close(resolve));
  }

  private answer(request: IncomingMessage, response: ServerResponse): void {
    const path = new URL(request.url ?? '/', this.issuer).pathname;
    const isDiscovery = path === new URL(`${this.issuer}/.well-known/openid-configuration`).pathname;
    const isJwks = path === new URL(this.jwksUri).pathname;
    if (isJwks) this.jwksFetches.push(Date.now());
    if (isDiscovery) this.discoveryFetches.push(Date.now());
    if (this.behaviour === 'stalled') {
      // Headers and half a body, then nothing: the worst a provider can do.
      response.writeHead(200, { 'content-type': 'application/json' });
      response.write('{"keys":[');
      this.held.push(response);
      return;
    }
    if (this.behaviour === 'failing') return this.json(response, 500, { error: 'server_error' });
    if (isDiscovery) {
      return this.json(response, 200, {
        issuer: this.issuer,
        jwks_uri: this.jwksUri,
        id_token_signing_alg_values_supported: ['RS256', 'ES256', 'EdDSA'],
        subject_types_supported: ['public'],
        response_types_supported: ['code'],
      });
    }
    if (isJwks) return this.json(response, 200, { keys: [...this.published].map((kid) => this.keys.get(kid)?.publicJwk) });
    this.json(response, 404, { error: 'not_found' });
  }

  private json(response: ServerResponse, status: number, body: unknown): void {
    response.writeHead(status, { 'content-type': 'application/json', 'cache-control': 'no-store' });
    response.end(JSON.stringify(body));
  }
}
