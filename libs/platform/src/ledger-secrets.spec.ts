import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseSignerKey } from '@ledger/verifiable-log';
import { resolveLedgerSecrets, secretsDir } from './ledger-secrets';

describe('resolveLedgerSecrets', () => {
  let dataDir: string;
  beforeEach(() => (dataDir = mkdtempSync(join(tmpdir(), 'ledger-secrets-'))));
  afterEach(() => rmSync(dataDir, { recursive: true, force: true }));

  const logOrigin = 'ledger.test/log';

  it('generates each secret once, privately, and reads the same ones afterwards', () => {
    const first = resolveLedgerSecrets({ dataDir, logOrigin });
    const second = resolveLedgerSecrets({ dataDir, logOrigin });
    expect(second).toEqual(first);
    expect(new Set(Object.values(first)).size).toBe(5);
    expect(parseSignerKey(first.logKey).name).toBe(logOrigin);
    for (const file of ['token.key', 'subject.key', 'folio.key', 'log.key', 'master.key']) {
      expect(statSync(join(secretsDir(dataDir), file)).mode & 0o777).toBe(0o600);
    }
    expect(statSync(secretsDir(dataDir)).mode & 0o777).toBe(0o700);
  });

  it('prefers configured secrets and writes nothing for them', () => {
    const tokenKey = 't'.repeat(40);
    const masterKey = 'm'.repeat(40);
    const secrets = resolveLedgerSecrets({ dataDir, tokenKey, masterKey, logOrigin });
    expect(secrets.tokenKey).toBe(tokenKey);
    expect(secrets.masterKey).toBe(masterKey);
    expect(() => readFileSync(join(secretsDir(dataDir), 'token.key'))).toThrow();
    expect(() => readFileSync(join(secretsDir(dataDir), 'master.key'))).toThrow();
  });

  it('refuses a log key generated for another origin: a log keeps its origin for life', () => {
    resolveLedgerSecrets({ dataDir, logOrigin });
    expect(() => resolveLedgerSecrets({ dataDir, logOrigin: 'other.test/log' })).toThrow(/log key .* is for the origin "ledger.test\/log"/);
  });
});
