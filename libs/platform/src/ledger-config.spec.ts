import { DEFAULT_FINDING_THRESHOLDS, FINDING_THRESHOLD_VARIABLES } from './finding-thresholds';
import { ConfigurationError, DEFAULT_RATE_LIMIT, DEFAULT_READY_MAX_LAG_SECONDS, loadLedgerConfig } from './ledger-config';

describe('loadLedgerConfig', () => {
  it('starts with no configuration at all (embedded mode)', () => {
    const config = loadLedgerConfig({});
    expect(config).toMatchObject({ port: 3000, projector: 'in-process', logLevel: 'info' });
    expect(config.dataDir).toMatch(/\.ledger-data$/);
    expect(config.databaseUrl).toBeUndefined();
  });

  it('reads every setting', () => {
    const key = 'k'.repeat(32);
    const config = loadLedgerConfig({
      PORT: '8080',
      LEDGER_DATA_DIR: '/tmp/x',
      DATABASE_URL: 'postgres://u:p@h:5432/db',
      EVENTSTORE_CONNECTION_STRING: 'esdb://h:2113?tls=false',
      LEDGER_TOKEN_KEY: key,
      LEDGER_SUBJECT_KEY: key,
      LEDGER_FOLIO_KEY: key,
      LEDGER_PROJECTOR: 'off',
      LOG_LEVEL: 'warn',
      LEDGER_RATE_LIMIT: '300',
      LEDGER_TRUST_PROXY: '1',
      LEDGER_READY_MAX_LAG: '45',
      LEDGER_PUBLIC_URL: 'https://Ledger.Example.gob.mx/registro/',
      LEDGER_FINDING_MAX_JUDGMENTS_PER_DAY: '20',
    });
    expect(config).toEqual({
      port: 8080,
      dataDir: '/tmp/x',
      databaseUrl: 'postgres://u:p@h:5432/db',
      eventStoreConnectionString: 'esdb://h:2113?tls=false',
      tokenKey: key,
      subjectKey: key,
      folioKey: key,
      projector: 'off',
      logLevel: 'warn',
      rateLimit: 300,
      trustProxy: 1,
      readyMaxLagSeconds: 45,
      logOrigin: 'certification-ledger.local/log',
      checkpointIntervalMs: 5000,
      readyMaxUnsignedSeconds: 30,
      publicAnswers: 100_000,
      reportAnswersMb: 64,
      publicUrl: 'https://ledger.example.gob.mx/registro',
      devTokens: true,
      findingThresholds: { ...DEFAULT_FINDING_THRESHOLDS, maxJudgmentsPerDay: 20 },
    });
  });

  it('takes each finding threshold from its variable, within its range, and names the one out of range', () => {
    expect(loadLedgerConfig({}).findingThresholds).toEqual(DEFAULT_FINDING_THRESHOLDS);
    for (const [key, variable] of Object.entries(FINDING_THRESHOLD_VARIABLES)) {
      expect(loadLedgerConfig({ [variable.env]: String(variable.max) }).findingThresholds).toEqual({ ...DEFAULT_FINDING_THRESHOLDS, [key]: variable.max });
      for (const bad of [String(variable.min - 1), String(variable.max + 1), '1.5', 'ten', '-3']) {
        expect(() => loadLedgerConfig({ [variable.env]: bad })).toThrow(new RegExp(`${variable.env} must be a whole number from ${variable.min} to ${variable.max}`));
      }
    }
  });

  it('accepts an OpenID Connect provider with its defaults once issuer and audience are set, and no provider without them', () => {
    expect(loadLedgerConfig({}).oidc).toBeUndefined();
    expect(loadLedgerConfig({ LEDGER_OIDC_ISSUER: 'https://login.example.gob.mx/realms/ledger', LEDGER_OIDC_AUDIENCE: 'ledger-api' }).oidc).toEqual({
      issuer: 'https://login.example.gob.mx/realms/ledger',
      audience: 'ledger-api',
      claims: { role: 'role', organization: 'org', jurisdiction: 'jurisdiction' },
      clockSkewSeconds: 30,
      maxTokenLifetimeSeconds: 3600,
      jwksMaxAgeSeconds: 600,
      jwksCooldownSeconds: 30,
      timeoutMs: 5000,
    });
  });

  it('reads every OpenID Connect setting, and whether development tokens are accepted', () => {
    const config = loadLedgerConfig({
      LEDGER_OIDC_ISSUER: 'http://127.0.0.1:8443/',
      LEDGER_OIDC_AUDIENCE: 'ledger',
      LEDGER_OIDC_ROLE_CLAIM: 'https://ledger.gob.mx/role',
      LEDGER_OIDC_ORG_CLAIM: 'dependencia',
      LEDGER_OIDC_JURISDICTION_CLAIM: 'entidad',
      LEDGER_OIDC_CLOCK_SKEW: '10',
      LEDGER_OIDC_MAX_TOKEN_LIFETIME: '900',
      LEDGER_OIDC_JWKS_MAX_AGE: '120',
      LEDGER_OIDC_JWKS_COOLDOWN: '5',
      LEDGER_OIDC_TIMEOUT: '2',
      LEDGER_DEV_TOKENS: 'OFF',
    });
    expect(config.oidc).toEqual({
      issuer: 'http://127.0.0.1:8443/',
      audience: 'ledger',
      claims: { role: 'https://ledger.gob.mx/role', organization: 'dependencia', jurisdiction: 'entidad' },
      clockSkewSeconds: 10,
      maxTokenLifetimeSeconds: 900,
      jwksMaxAgeSeconds: 120,
      jwksCooldownSeconds: 5,
      timeoutMs: 2000,
    });
    expect(config.devTokens).toBe(false);
  });

  it.each([
    [{ LEDGER_OIDC_ISSUER: 'https://login.example.gob.mx' }, /LEDGER_OIDC_AUDIENCE must be set/],
    [{ LEDGER_OIDC_AUDIENCE: 'ledger' }, /without LEDGER_OIDC_ISSUER/],
    [{ LEDGER_OIDC_ISSUER: 'http://login.example.gob.mx', LEDGER_OIDC_AUDIENCE: 'ledger' }, /LEDGER_OIDC_ISSUER must be/],
    [{ LEDGER_OIDC_ISSUER: 'https://u:p@login.example.gob.mx', LEDGER_OIDC_AUDIENCE: 'ledger' }, /LEDGER_OIDC_ISSUER must be/],
    [{ LEDGER_OIDC_ISSUER: 'https://login.example.gob.mx/?realm=x', LEDGER_OIDC_AUDIENCE: 'ledger' }, /LEDGER_OIDC_ISSUER must be/],
    [{ LEDGER_OIDC_ISSUER: 'https://login.example.gob.mx', LEDGER_OIDC_AUDIENCE: 'ledger', LEDGER_OIDC_ROLE_CLAIM: 'sub' }, /LEDGER_OIDC_ROLE_CLAIM must name a claim/],
    [{ LEDGER_OIDC_ISSUER: 'https://login.example.gob.mx', LEDGER_OIDC_AUDIENCE: 'ledger', LEDGER_OIDC_ORG_CLAIM: 'role' }, /three different claims/],
    [{ LEDGER_OIDC_ISSUER: 'https://login.example.gob.mx', LEDGER_OIDC_AUDIENCE: 'ledger', LEDGER_OIDC_CLOCK_SKEW: '3600' }, /LEDGER_OIDC_CLOCK_SKEW must be a whole number from 0 to 300/],
    [{ LEDGER_OIDC_ISSUER: 'https://login.example.gob.mx', LEDGER_OIDC_AUDIENCE: 'ledger', LEDGER_OIDC_MAX_TOKEN_LIFETIME: '30' }, /LEDGER_OIDC_MAX_TOKEN_LIFETIME/],
    [{ LEDGER_OIDC_ISSUER: 'https://login.example.gob.mx', LEDGER_OIDC_AUDIENCE: 'ledger', LEDGER_OIDC_TIMEOUT: '0' }, /LEDGER_OIDC_TIMEOUT/],
    [{ LEDGER_DEV_TOKENS: 'maybe' }, /LEDGER_DEV_TOKENS must be one of on, off/],
  ])('refuses the OpenID Connect settings %j', (env, problem) => {
    expect(() => loadLedgerConfig(env)).toThrow(problem);
  });

  it('names the public URL after the port by default, and refuses one that is no plain http(s) base URL', () => {
    expect(loadLedgerConfig({}).publicUrl).toBe('http://localhost:3000');
    expect(loadLedgerConfig({ PORT: '8080', LEDGER_PUBLIC_URL: ' ' }).publicUrl).toBe('http://localhost:8080');
    expect(loadLedgerConfig({ LEDGER_PUBLIC_URL: 'http://10.0.0.7:3000' }).publicUrl).toBe('http://10.0.0.7:3000');
    for (const wrong of ['ledger.example.gob.mx', 'ftp://ledger.example.gob.mx', 'https://u:secret@ledger.example.gob.mx', 'https://ledger.example.gob.mx/?a=1', 'https://ledger.example.gob.mx/#top', 'https://']) {
      expect(() => loadLedgerConfig({ LEDGER_PUBLIC_URL: wrong })).toThrow(/LEDGER_PUBLIC_URL/);
    }
  });

  it('refuses to start with every problem listed, never echoing a connection string', () => {
    const attempt = () =>
      loadLedgerConfig({
        PORT: 'eighty',
        DATABASE_URL: 'mysql://secret-password@h/db',
        LEDGER_TOKEN_KEY: 'short',
        LEDGER_PROJECTOR: 'sometimes',
        EVENTSTORE_CONNECTION_STRING: 'not a url',
      });
    expect(attempt).toThrow(ConfigurationError);
    try {
      attempt();
    } catch (error) {
      const problems = (error as ConfigurationError).problems;
      expect(problems).toHaveLength(5);
      expect(problems.join('\n')).not.toContain('secret-password');
    }
  });

  it('puts events in EventStoreDB and keeps read models in the embedded PostgreSQL when DATABASE_URL is not set', () => {
    const config = loadLedgerConfig({ EVENTSTORE_CONNECTION_STRING: 'esdb://h:2113?tls=false' });
    expect(config).toMatchObject({ port: 3000, projector: 'in-process', logLevel: 'info', eventStoreConnectionString: 'esdb://h:2113?tls=false' });
    expect(config.databaseUrl).toBeUndefined();
    expect(config.dataDir).toMatch(/\.ledger-data$/);
  });

  it('takes an EventStoreDB cluster address (esdb+discover, or a list of nodes) and refuses other schemes', () => {
    for (const cluster of ['esdb+discover://cluster.example:2113', 'esdb://admin:changeit@a:2113,b:2113,c:2113?tls=true&nodePreference=leader']) {
      expect(loadLedgerConfig({ EVENTSTORE_CONNECTION_STRING: cluster }).eventStoreConnectionString).toBe(cluster);
    }
    for (const wrong of ['http://h:2113', 'esdb://', 'esdb://a:2113,,b:2113', 'esdb://a b:2113']) {
      expect(() => loadLedgerConfig({ EVENTSTORE_CONNECTION_STRING: wrong })).toThrow(/EVENTSTORE_CONNECTION_STRING must look like esdb:\/\/host/);
    }
  });

  it('limits public requests and failed authentications per address by default, and turns the limits off on request', () => {
    expect(loadLedgerConfig({})).toMatchObject({ rateLimit: DEFAULT_RATE_LIMIT, trustProxy: false });
    expect(loadLedgerConfig({ LEDGER_RATE_LIMIT: 'off' }).rateLimit).toBe('off');
    expect(loadLedgerConfig({ LEDGER_RATE_LIMIT: ' OFF ' }).rateLimit).toBe('off');
    expect(loadLedgerConfig({ LEDGER_RATE_LIMIT: '5000' }).rateLimit).toBe(5000);
    for (const wrong of ['0', '-5', '1.5', '1e3', 'none', 'unlimited', '10/min', '99999999']) {
      expect(() => loadLedgerConfig({ LEDGER_RATE_LIMIT: wrong })).toThrow(/LEDGER_RATE_LIMIT must be "off" or requests per minute/);
    }
  });

  it('believes X-Forwarded-For only from the proxies it is told of, never from everyone', () => {
    expect(loadLedgerConfig({ LEDGER_TRUST_PROXY: 'off' }).trustProxy).toBe(false);
    expect(loadLedgerConfig({ LEDGER_TRUST_PROXY: '2' }).trustProxy).toBe(2);
    expect(loadLedgerConfig({ LEDGER_TRUST_PROXY: 'loopback, 10.0.0.0/8,fd00::/8, 192.168.1.7' }).trustProxy).toEqual(['loopback', '10.0.0.0/8', 'fd00::/8', '192.168.1.7']);
    for (const wrong of ['true', 'on', '*', '0', '11', '10.0.0.0/33', 'fd00::/129', 'proxy.example', '10.0.0.1,,10.0.0.2', '10.0.0.0/8/1']) {
      expect(() => loadLedgerConfig({ LEDGER_TRUST_PROXY: wrong })).toThrow(/LEDGER_TRUST_PROXY must be "off", a number of proxies/);
    }
  });

  it('listens on every interface unless told an address, and refuses a host name or junk', () => {
    expect(loadLedgerConfig({}).host).toBeUndefined();
    for (const host of ['127.0.0.1', '::1', '0.0.0.0', 'localhost']) expect(loadLedgerConfig({ LEDGER_HOST: host }).host).toBe(host);
    for (const wrong of ['ledger.example.gob.mx', '127.0.0.1:3000', '999.1.1.1', 'local host', '\u0000']) {
      expect(() => loadLedgerConfig({ LEDGER_HOST: wrong })).toThrow(/LEDGER_HOST must be an IP address/);
    }
  });

  it('takes a metrics token of a secret’s length, or none', () => {
    expect(loadLedgerConfig({}).metricsToken).toBeUndefined();
    expect(loadLedgerConfig({ LEDGER_METRICS_TOKEN: 'm'.repeat(32) }).metricsToken).toBe('m'.repeat(32));
    expect(() => loadLedgerConfig({ LEDGER_METRICS_TOKEN: 'short' })).toThrow(/LEDGER_METRICS_TOKEN must be at least 32 characters/);
  });

  it('bounds how far behind a projection may be and still be ready', () => {
    expect(loadLedgerConfig({}).readyMaxLagSeconds).toBe(DEFAULT_READY_MAX_LAG_SECONDS);
    expect(loadLedgerConfig({ LEDGER_READY_MAX_LAG: '120' }).readyMaxLagSeconds).toBe(120);
    for (const wrong of ['0', '-1', '1.5', '1e2', '90000', 'soon']) {
      expect(() => loadLedgerConfig({ LEDGER_READY_MAX_LAG: wrong })).toThrow(/LEDGER_READY_MAX_LAG must be a whole number from 1 to 86400/);
    }
  });

  it('bounds how long the log may grow unsigned and still be ready: by default three checkpoint intervals, never under 30 s', () => {
    expect(loadLedgerConfig({}).readyMaxUnsignedSeconds).toBe(30);
    expect(loadLedgerConfig({ LEDGER_CHECKPOINT_INTERVAL: '1' }).readyMaxUnsignedSeconds).toBe(30);
    expect(loadLedgerConfig({ LEDGER_CHECKPOINT_INTERVAL: '60' }).readyMaxUnsignedSeconds).toBe(180);
    expect(loadLedgerConfig({ LEDGER_CHECKPOINT_INTERVAL: '60', LEDGER_READY_MAX_UNSIGNED: '10' }).readyMaxUnsignedSeconds).toBe(10);
    expect(loadLedgerConfig({ LEDGER_READY_MAX_UNSIGNED: ' ' }).readyMaxUnsignedSeconds).toBe(30);
    for (const wrong of ['0', '-1', '2.5', '1e2', '90000', 'later']) {
      expect(() => loadLedgerConfig({ LEDGER_READY_MAX_UNSIGNED: wrong })).toThrow(/LEDGER_READY_MAX_UNSIGNED must be a whole number from 1 to 86400/);
    }
  });

  it('keeps 100,000 public verifications by default, any number up to two million, or none', () => {
    expect(loadLedgerConfig({}).publicAnswers).toBe(100_000);
    expect(loadLedgerConfig({ LEDGER_PUBLIC_ANSWERS: '0' }).publicAnswers).toBe(0);
    expect(loadLedgerConfig({ LEDGER_PUBLIC_ANSWERS: ' 250000 ' }).publicAnswers).toBe(250_000);
    for (const wrong of ['-1', '2.5', '1e5', '2000001', 'all', '0x10']) {
      expect(() => loadLedgerConfig({ LEDGER_PUBLIC_ANSWERS: wrong })).toThrow(/LEDGER_PUBLIC_ANSWERS must be a whole number from 0 to 2000000/);
    }
  });

  it('keeps 64 MB of transparency reports by default, up to 4 GB, or none', () => {
    expect(loadLedgerConfig({}).reportAnswersMb).toBe(64);
    expect(loadLedgerConfig({ LEDGER_REPORT_ANSWERS_MB: '0' }).reportAnswersMb).toBe(0);
    expect(loadLedgerConfig({ LEDGER_REPORT_ANSWERS_MB: ' 256 ' }).reportAnswersMb).toBe(256);
    for (const wrong of ['-1', '2.5', '1e3', '4097', 'lots', '0x10']) {
      expect(() => loadLedgerConfig({ LEDGER_REPORT_ANSWERS_MB: wrong })).toThrow(/LEDGER_REPORT_ANSWERS_MB must be a whole number from 0 to 4096/);
    }
  });
});
