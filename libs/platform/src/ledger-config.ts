import { DEFAULT_FINDING_THRESHOLDS, FINDING_THRESHOLD_VARIABLES, type FindingThresholds } from './finding-thresholds';
import { isIP } from 'node:net';
import { resolve } from 'node:path';
import { isValidKeyName, parseSignerKey } from '@ledger/verifiable-log';

/** Where the projector runs: inside the ledger process, or elsewhere (apps/projector). */
export type ProjectorMode = 'in-process' | 'off';

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

/**
 * Everything the ledger reads from its environment, checked once at start so
 * that a misconfigured instance refuses to start instead of failing on the
 * first request.
 */
export interface LedgerConfig {
  readonly port: number;
  /** The address the HTTP server listens on (LEDGER_HOST); every interface when unset. */
  readonly host?: string;
  /** Absolute path; holds generated secrets and, in embedded mode, PostgreSQL. */
  readonly dataDir: string;
  /**
   * External PostgreSQL; when absent the ledger runs an embedded one under
   * dataDir. It holds the read models and idempotency records in every mode,
   * and the events too unless eventStoreConnectionString is set.
   */
  readonly databaseUrl?: string;
  /**
   * When set, events go to EventStoreDB instead of PostgreSQL; read models and
   * idempotency records stay in PostgreSQL (databaseUrl, or the embedded one).
   */
  readonly eventStoreConnectionString?: string;
  /** Secrets given by configuration; the missing ones are generated into dataDir. */
  readonly tokenKey?: string;
  readonly subjectKey?: string;
  readonly folioKey?: string;
  /** Wraps the subjects' data keys (LEDGER_MASTER_KEY); generated into dataDir when absent. */
  readonly masterKey?: string;
  readonly projector: ProjectorMode;
  readonly logLevel: LogLevel;
  /**
   * Requests per minute per client address on the public routes; each address
   * may also fail authentication a tenth as often per minute. 'off' for
   * benchmarks and trusted networks.
   */
  readonly rateLimit: RateLimit;
  /** Which proxies Express believes about the client's address (X-Forwarded-For): none by default. */
  readonly trustProxy: TrustProxy;
  /**
   * Readiness (`/health/ready`) fails when the oldest event a projection has
   * not folded yet was recorded longer ago than this, in seconds.
   */
  readonly readyMaxLagSeconds: number;
  /**
   * The verifiable log's signing key (C2SP signed-note signer key text,
   * `PRIVATE+KEY+<origin>+<key id>+<base64>`); generated into dataDir when absent.
   */
  readonly logKey?: string;
  /** The log's origin: the first line of every checkpoint and the name of its key. */
  readonly logOrigin: string;
  /** How often a new checkpoint is signed while the log grows, in milliseconds. */
  readonly checkpointIntervalMs: number;
  /**
   * Readiness fails when the log's tree has grown past its last signed
   * checkpoint for longer than this, in seconds: LEDGER_READY_MAX_UNSIGNED,
   * by default readyMaxUnsignedSecondsFor(checkpointIntervalMs).
   */
  readonly readyMaxUnsignedSeconds: number;
  /**
   * How many public verifications (`GET /v1/public/certificates/{folio}`)
   * the ledger keeps in memory while nothing they were read from can have
   * changed: LEDGER_PUBLIC_ANSWERS, 0 to keep none.
   */
  readonly publicAnswers: number;
  /**
   * How many megabytes of transparency reports rendered whole (those of up
   * to 1,000 certificates) the ledger keeps in memory while nothing they
   * were read from can have changed: LEDGER_REPORT_ANSWERS_MB, 0 to keep none.
   */
  readonly reportAnswersMb: number;
  /**
   * The ledger's public base URL as clients reach it (`https://ledger.example.gob.mx`,
   * no trailing slash). Signed credentials name their routes under it, so it
   * is configured, never taken from a request's Host header.
   */
  readonly publicUrl: string;
  /**
   * Tokens of an OpenID Connect provider, accepted besides the development
   * tokens when LEDGER_OIDC_ISSUER is set.
   */
  readonly oidc?: OidcConfig;
  /** Whether HS256 development tokens signed with the token key are accepted (LEDGER_DEV_TOKENS, on by default). */
  readonly devTokens: boolean;
  /** Where audit findings are raised (LEDGER_FINDING_*; see finding-thresholds.ts). */
  readonly findingThresholds: FindingThresholds;
  /**
   * The bearer token a scraper must send to GET /metrics (LEDGER_METRICS_TOKEN);
   * unset, /metrics answers anyone (it holds route templates and counts, no personal data).
   */
  readonly metricsToken?: string;
}

/** Which claims of an identity provider's token name the caller's role, organization and jurisdiction. */
export interface OidcClaimNames {
  readonly role: string;
  readonly organization: string;
  readonly jurisdiction: string;
}

/** An OpenID Connect provider whose signed tokens (ID tokens or JWT access tokens) the ledger accepts. */
export interface OidcConfig {
  /** Exactly the provider's `iss`; its discovery document is at `<issuer>/.well-known/openid-configuration`. */
  readonly issuer: string;
  /** The `aud` the provider puts in tokens meant for this ledger (its client id or API identifier). */
  readonly audience: string;
  readonly claims: OidcClaimNames;
  /** How far `exp`, `nbf` and `iat` may be off the ledger's clock, in seconds. */
  readonly clockSkewSeconds: number;
  /** Tokens whose `exp − iat` is longer are refused, in seconds. */
  readonly maxTokenLifetimeSeconds: number;
  /** The provider's keys are fetched again once this old, in seconds: a key it stops publishing is refused from then on. */
  readonly jwksMaxAgeSeconds: number;
  /** A token signed by a key not in the cached set makes the ledger fetch the set again, at most this often, in seconds. */
  readonly jwksCooldownSeconds: number;
  /** The longest the ledger waits for the provider (discovery or keys) before answering 503, in milliseconds. */
  readonly timeoutMs: number;
}

export const DEFAULT_OIDC_CLAIM_NAMES: OidcClaimNames = Object.freeze({ role: 'role', organization: 'org', jurisdiction: 'jurisdiction' });
export const DEFAULT_OIDC_CLOCK_SKEW_SECONDS = 30;
export const DEFAULT_OIDC_MAX_TOKEN_LIFETIME_SECONDS = 3600;
export const DEFAULT_OIDC_JWKS_MAX_AGE_SECONDS = 600;
export const DEFAULT_OIDC_JWKS_COOLDOWN_SECONDS = 30;
export const DEFAULT_OIDC_TIMEOUT_SECONDS = 5;

export const DEFAULT_LOG_ORIGIN = 'certification-ledger.local/log';
export const DEFAULT_CHECKPOINT_INTERVAL_SECONDS = 5;

/**
 * The log's tree may stay ahead of its last signed checkpoint for this many
 * checkpoint intervals before readiness fails (a signer that keeps time signs
 * within one), and never less than 30 s, so that a short interval and a slow
 * moment of the database do not take an instance out of service.
 */
export function readyMaxUnsignedSecondsFor(checkpointIntervalMs: number): number {
  return Math.max((3 * checkpointIntervalMs) / 1000, 30);
}

/** A projection that keeps up folds an event within a second; half a minute behind means it is stuck or swamped. */
export const DEFAULT_READY_MAX_LAG_SECONDS = 30;

export type RateLimit = number | 'off';

/**
 * `false`: the client is the peer of the TCP connection. A number: that many
 * reverse proxies stand in front of the ledger. A list: the addresses or
 * subnets (or Express's names loopback, linklocal, uniquelocal) of the
 * proxies to believe.
 */
export type TrustProxy = false | number | readonly string[];

/**
 * Public requests per minute per address by default: 20 a second, enough
 * for a ceremony's audience verifying its certificates through one venue's
 * network, or for a provider's print run of a 2,000-certificate batch to
 * finish within two windows by honouring Retry-After; a scraper or a flood
 * (2,000 verifications in seconds) is stopped within the first minute.
 * Authenticated commands are not counted at all.
 */
export const DEFAULT_RATE_LIMIT = 1200;
const MAX_RATE_LIMIT = 1_000_000;
const MAX_PROXY_HOPS = 10;

export class ConfigurationError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(`Invalid configuration:\n- ${problems.join('\n- ')}`);
    this.name = 'ConfigurationError';
  }
}

/** Public verifications kept by default: about a state's registry, some 60 MB (about 600 bytes each, measured). */
export const DEFAULT_PUBLIC_ANSWERS = 100_000;
/** At most this many (some 1.2 GB): more is a typo. */
export const MAX_PUBLIC_ANSWERS = 2_000_000;

/** Megabytes of transparency reports kept by default: a state's registry of 100,000 certificates in pages of a day of an agency is some 40 as JSON (about 400 bytes a certificate, its holder included). */
export const DEFAULT_REPORT_ANSWERS_MB = 64;
/** At most this many (4 GB): more is a typo. */
export const MAX_REPORT_ANSWERS_MB = 4_096;

/** A secret shorter than this is too easy to guess for an HMAC key. */
export const MIN_SECRET_LENGTH = 32;

type Env = Readonly<Record<string, string | undefined>>;

/** Reads and validates the configuration; throws ConfigurationError listing every problem. */
export function loadLedgerConfig(env: Env = process.env): LedgerConfig {
  const problems: string[] = [];
  const port = readPort(env.PORT, problems);
  const checkpointIntervalMs =
    1000 * readWholeNumber('LEDGER_CHECKPOINT_INTERVAL', env.LEDGER_CHECKPOINT_INTERVAL, { min: 1, max: 3_600, fallback: DEFAULT_CHECKPOINT_INTERVAL_SECONDS }, problems);
  const config: LedgerConfig = {
    port,
    host: readHost(env.LEDGER_HOST, problems),
    dataDir: resolve(nonEmpty(env.LEDGER_DATA_DIR) ?? './.ledger-data'),
    databaseUrl: readUrl('DATABASE_URL', env.DATABASE_URL, ['postgres:', 'postgresql:'], problems),
    eventStoreConnectionString: readEventStoreConnectionString(env.EVENTSTORE_CONNECTION_STRING, problems),
    tokenKey: readSecret('LEDGER_TOKEN_KEY', env.LEDGER_TOKEN_KEY, problems),
    subjectKey: readSecret('LEDGER_SUBJECT_KEY', env.LEDGER_SUBJECT_KEY, problems),
    folioKey: readSecret('LEDGER_FOLIO_KEY', env.LEDGER_FOLIO_KEY, problems),
    masterKey: readSecret('LEDGER_MASTER_KEY', env.LEDGER_MASTER_KEY, problems),
    projector: readChoice('LEDGER_PROJECTOR', env.LEDGER_PROJECTOR, ['in-process', 'off'], 'in-process', problems),
    logLevel: readChoice('LOG_LEVEL', env.LOG_LEVEL, LOG_LEVELS, 'info', problems),
    rateLimit: readRateLimit(env.LEDGER_RATE_LIMIT, problems),
    trustProxy: readTrustProxy(env.LEDGER_TRUST_PROXY, problems),
    readyMaxLagSeconds: readWholeNumber('LEDGER_READY_MAX_LAG', env.LEDGER_READY_MAX_LAG, { min: 1, max: 86_400, fallback: DEFAULT_READY_MAX_LAG_SECONDS }, problems),
    logOrigin: readLogOrigin(env.LEDGER_LOG_ORIGIN, problems),
    logKey: readLogKey(env.LEDGER_LOG_KEY, problems),
    checkpointIntervalMs,
    readyMaxUnsignedSeconds: readWholeNumber(
      'LEDGER_READY_MAX_UNSIGNED',
      env.LEDGER_READY_MAX_UNSIGNED,
      { min: 1, max: 86_400, fallback: readyMaxUnsignedSecondsFor(checkpointIntervalMs) },
      problems,
    ),
    publicAnswers: readWholeNumber('LEDGER_PUBLIC_ANSWERS', env.LEDGER_PUBLIC_ANSWERS, { min: 0, max: MAX_PUBLIC_ANSWERS, fallback: DEFAULT_PUBLIC_ANSWERS }, problems),
    reportAnswersMb: readWholeNumber(
      'LEDGER_REPORT_ANSWERS_MB',
      env.LEDGER_REPORT_ANSWERS_MB,
      { min: 0, max: MAX_REPORT_ANSWERS_MB, fallback: DEFAULT_REPORT_ANSWERS_MB },
      problems,
    ),
    publicUrl: readPublicUrl(env.LEDGER_PUBLIC_URL, port, problems),
    oidc: readOidc(env, problems),
    devTokens: readChoice('LEDGER_DEV_TOKENS', env.LEDGER_DEV_TOKENS?.toLowerCase(), ['on', 'off'], 'on', problems) === 'on',
    findingThresholds: readFindingThresholds(env, problems),
    metricsToken: readSecret('LEDGER_METRICS_TOKEN', env.LEDGER_METRICS_TOKEN, problems),
  };
  if (config.logKey && problems.length === 0 && parseSignerKey(config.logKey).name !== config.logOrigin) {
    problems.push('LEDGER_LOG_KEY is a key for another origin: its name must equal LEDGER_LOG_ORIGIN');
  }
  if (problems.length > 0) throw new ConfigurationError(problems);
  return config;
}

/** Claims a provider's token carries for its own meaning: none of them may stand for a role, an organization or a jurisdiction. */
const REGISTERED_CLAIMS = ['iss', 'sub', 'aud', 'exp', 'nbf', 'iat', 'jti', 'azp', 'nonce', 'scope', 'client_id'];

function readOidc(env: Env, problems: string[]): OidcConfig | undefined {
  const issuerText = nonEmpty(env.LEDGER_OIDC_ISSUER);
  const audience = nonEmpty(env.LEDGER_OIDC_AUDIENCE);
  if (issuerText === undefined) {
    if (audience !== undefined) problems.push('LEDGER_OIDC_AUDIENCE is set without LEDGER_OIDC_ISSUER: set both, or neither');
    return undefined;
  }
  const issuer = readOidcIssuer(issuerText, problems);
  if (audience === undefined) problems.push('LEDGER_OIDC_AUDIENCE must be set with LEDGER_OIDC_ISSUER: the audience the provider puts in tokens meant for this ledger');
  const claims: OidcClaimNames = {
    role: readClaimName('LEDGER_OIDC_ROLE_CLAIM', env.LEDGER_OIDC_ROLE_CLAIM, DEFAULT_OIDC_CLAIM_NAMES.role, problems),
    organization: readClaimName('LEDGER_OIDC_ORG_CLAIM', env.LEDGER_OIDC_ORG_CLAIM, DEFAULT_OIDC_CLAIM_NAMES.organization, problems),
    jurisdiction: readClaimName('LEDGER_OIDC_JURISDICTION_CLAIM', env.LEDGER_OIDC_JURISDICTION_CLAIM, DEFAULT_OIDC_CLAIM_NAMES.jurisdiction, problems),
  };
  if (new Set(Object.values(claims)).size !== 3) problems.push('LEDGER_OIDC_ROLE_CLAIM, LEDGER_OIDC_ORG_CLAIM and LEDGER_OIDC_JURISDICTION_CLAIM must name three different claims');
  return {
    issuer,
    audience: audience ?? '',
    claims,
    clockSkewSeconds: readWholeNumber('LEDGER_OIDC_CLOCK_SKEW', env.LEDGER_OIDC_CLOCK_SKEW, { min: 0, max: 300, fallback: DEFAULT_OIDC_CLOCK_SKEW_SECONDS }, problems),
    maxTokenLifetimeSeconds: readWholeNumber(
      'LEDGER_OIDC_MAX_TOKEN_LIFETIME',
      env.LEDGER_OIDC_MAX_TOKEN_LIFETIME,
      { min: 60, max: 86_400, fallback: DEFAULT_OIDC_MAX_TOKEN_LIFETIME_SECONDS },
      problems,
    ),
    jwksMaxAgeSeconds: readWholeNumber('LEDGER_OIDC_JWKS_MAX_AGE', env.LEDGER_OIDC_JWKS_MAX_AGE, { min: 1, max: 86_400, fallback: DEFAULT_OIDC_JWKS_MAX_AGE_SECONDS }, problems),
    jwksCooldownSeconds: readWholeNumber('LEDGER_OIDC_JWKS_COOLDOWN', env.LEDGER_OIDC_JWKS_COOLDOWN, { min: 1, max: 3_600, fallback: DEFAULT_OIDC_JWKS_COOLDOWN_SECONDS }, problems),
    timeoutMs: 1000 * readWholeNumber('LEDGER_OIDC_TIMEOUT', env.LEDGER_OIDC_TIMEOUT, { min: 1, max: 30, fallback: DEFAULT_OIDC_TIMEOUT_SECONDS }, problems),
  };
}

/** Plain http only to a provider on this machine (a test's, or a sidecar's): anywhere else its keys could be swapped on the way. */
export function isLoopbackHost(hostname: string): boolean {
  return hostname === 'localhost' || hostname === '[::1]' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(hostname);
}

function readOidcIssuer(text: string, problems: string[]): string {
  const url = URL.canParse(text) ? new URL(text) : undefined;
  const secure = url?.protocol === 'https:' || (url?.protocol === 'http:' && isLoopbackHost(url.hostname));
  if (!url || !secure || url.username || url.password || text.includes('?') || text.includes('#')) {
    problems.push('LEDGER_OIDC_ISSUER must be the provider\'s issuer, an https:// URL without credentials, query or fragment (http:// only on loopback), e.g. https://login.example.gob.mx/realms/ledger');
  }
  // Kept as written: a token's `iss` must equal it exactly.
  return text;
}

function readClaimName(name: string, value: string | undefined, fallback: string, problems: string[]): string {
  const text = nonEmpty(value) ?? fallback;
  if (text.length > 200 || /\s/.test(text) || REGISTERED_CLAIMS.includes(text)) {
    problems.push(`${name} must name a claim of at most 200 characters without spaces, and not one of ${REGISTERED_CLAIMS.join(', ')}, got "${text.slice(0, 200)}"`);
  }
  return text;
}

function readLogOrigin(value: string | undefined, problems: string[]): string {
  const text = nonEmpty(value) ?? DEFAULT_LOG_ORIGIN;
  if (!isValidKeyName(text)) problems.push('LEDGER_LOG_ORIGIN must be a key name: printable, no spaces and no "+", e.g. ledger.example.gob.mx/log');
  return text;
}

function readLogKey(value: string | undefined, problems: string[]): string | undefined {
  const text = nonEmpty(value);
  if (text === undefined) return undefined;
  try {
    parseSignerKey(text);
  } catch {
    // Never echo the value: it is a private key.
    problems.push('LEDGER_LOG_KEY must be an Ed25519 signer key: PRIVATE+KEY+<origin>+<key id>+<base64>');
  }
  return text;
}

/** An http(s) base URL without credentials, query or fragment; a path is kept (a ledger behind a prefix), its trailing slashes dropped. */
function readPublicUrl(value: string | undefined, port: number, problems: string[]): string {
  const text = nonEmpty(value);
  if (text === undefined) return `http://localhost:${port}`;
  const url = URL.canParse(text) ? new URL(text) : undefined;
  if (!url || !['http:', 'https:'].includes(url.protocol) || url.username || url.password || url.search || url.hash || text.includes('?') || text.includes('#')) {
    problems.push('LEDGER_PUBLIC_URL must be an http:// or https:// base URL without credentials, query or fragment, e.g. https://ledger.example.gob.mx');
    return `http://localhost:${port}`;
  }
  return `${url.origin}${url.pathname.replace(/\/+$/, '')}`;
}

function readFindingThresholds(env: Env, problems: string[]): FindingThresholds {
  const entries = Object.entries(FINDING_THRESHOLD_VARIABLES).map(([key, variable]) => [
    key,
    readWholeNumber(variable.env, env[variable.env], { ...variable, fallback: DEFAULT_FINDING_THRESHOLDS[key as keyof FindingThresholds] }, problems),
  ]);
  return Object.freeze(Object.fromEntries(entries)) as FindingThresholds;
}

function readWholeNumber(name: string, value: string | undefined, range: { min: number; max: number; fallback: number }, problems: string[]): number {
  const text = nonEmpty(value);
  if (text === undefined) return range.fallback;
  const number = Number(text);
  if (!/^\d{1,9}$/.test(text) || number < range.min || number > range.max) {
    problems.push(`${name} must be a whole number from ${range.min} to ${range.max}, got "${text}"`);
    return range.fallback;
  }
  return number;
}

function nonEmpty(value: string | undefined): string | undefined {
  const trimmed = value?.trim();
  return trimmed ? trimmed : undefined;
}

function readPort(value: string | undefined, problems: string[]): number {
  const text = nonEmpty(value);
  if (text === undefined) return 3000;
  const port = Number(text);
  if (!/^\d+$/.test(text) || port < 0 || port > 65535) {
    problems.push(`PORT must be an integer from 0 to 65535, got "${text}"`);
  }
  return port;
}

function readUrl(name: string, value: string | undefined, schemes: string[], problems: string[]): string | undefined {
  const text = nonEmpty(value);
  if (text === undefined) return undefined;
  try {
    const url = new URL(text);
    if (!schemes.includes(url.protocol)) problems.push(`${name} must start with ${schemes.map((s) => s + '//').join(' or ')}`);
  } catch {
    // Never echo the value: connection strings carry passwords.
    problems.push(`${name} is not a valid URL`);
  }
  return text;
}

/**
 * EventStoreDB connection strings name several nodes for a cluster
 * (`esdb://a:2113,b:2113,c:2113?tls=true`), which is not a URL; check the
 * shape the client accepts instead.
 */
const EVENTSTORE_CONNECTION_STRING = /^esdb(\+discover)?:\/\/([^@/?#\s]+@)?[^@/?#\s,:]+(:\d+)?(,[^@/?#\s,:]+(:\d+)?)*\/?(\?[^\s#]*)?$/;

function readEventStoreConnectionString(value: string | undefined, problems: string[]): string | undefined {
  const text = nonEmpty(value);
  if (text !== undefined && !EVENTSTORE_CONNECTION_STRING.test(text)) {
    // Never echo the value: connection strings carry passwords.
    problems.push('EVENTSTORE_CONNECTION_STRING must look like esdb://host:2113[,host:2113…][?options] or esdb+discover://host:2113');
  }
  return text;
}

/** An IP address or `localhost`: the interface to listen on. */
function readHost(value: string | undefined, problems: string[]): string | undefined {
  const text = nonEmpty(value);
  if (text === undefined) return undefined;
  if (text !== 'localhost' && isIP(text) === 0) problems.push('LEDGER_HOST must be an IP address (127.0.0.1, ::1, 0.0.0.0) or localhost');
  return text;
}

function readSecret(name: string, value: string | undefined, problems: string[]): string | undefined {
  if (value === undefined || value === '') return undefined;
  if (value.length < MIN_SECRET_LENGTH) problems.push(`${name} must be at least ${MIN_SECRET_LENGTH} characters`);
  return value;
}

function readChoice<T extends string>(
  name: string,
  value: string | undefined,
  choices: readonly T[],
  fallback: T,
  problems: string[],
): T {
  const text = nonEmpty(value);
  if (text === undefined) return fallback;
  if (!(choices as readonly string[]).includes(text)) {
    problems.push(`${name} must be one of ${choices.join(', ')}, got "${text}"`);
    return fallback;
  }
  return text as T;
}

function readRateLimit(value: string | undefined, problems: string[]): RateLimit {
  const text = nonEmpty(value);
  if (text === undefined) return DEFAULT_RATE_LIMIT;
  if (text.toLowerCase() === 'off') return 'off';
  const limit = Number(text);
  if (!/^\d+$/.test(text) || limit < 1 || limit > MAX_RATE_LIMIT) {
    problems.push(`LEDGER_RATE_LIMIT must be "off" or requests per minute from 1 to ${MAX_RATE_LIMIT}, got "${text}"`);
    return DEFAULT_RATE_LIMIT;
  }
  return limit;
}

const PROXY_NAMES = ['loopback', 'linklocal', 'uniquelocal'];

function isProxyAddress(entry: string): boolean {
  if (PROXY_NAMES.includes(entry)) return true;
  const [address, prefix, ...rest] = entry.split('/');
  const family = isIP(address);
  if (family === 0 || rest.length > 0) return false;
  if (prefix === undefined) return true;
  return /^\d{1,3}$/.test(prefix) && Number(prefix) <= (family === 4 ? 32 : 128);
}

/**
 * Trusting every proxy (`true`) is refused: any client could then name its
 * own address in X-Forwarded-For and start a fresh rate-limit budget with
 * every request.
 */
function readTrustProxy(value: string | undefined, problems: string[]): TrustProxy {
  const text = nonEmpty(value);
  if (text === undefined || text.toLowerCase() === 'off') return false;
  if (/^\d+$/.test(text)) {
    const hops = Number(text);
    if (hops >= 1 && hops <= MAX_PROXY_HOPS) return hops;
  } else {
    const entries = text.split(',').map((entry) => entry.trim());
    if (entries.every(isProxyAddress)) return entries;
  }
  problems.push(
    `LEDGER_TRUST_PROXY must be "off", a number of proxies from 1 to ${MAX_PROXY_HOPS}, or a comma-separated list of proxy addresses or subnets (loopback, linklocal, uniquelocal, 10.0.0.0/8…), got "${text}"`,
  );
  return false;
}
