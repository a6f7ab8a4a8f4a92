import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { resolveLedgerSecrets, secretsDir } from './ledger-secrets';

describe('resolveLedgerSecrets', () => {
  let dataDir: string;
  beforeEach(() => (dataDir = mkdtempSync(join(tmpdir(), 'ledger-secrets-'))));
  afterEach(() => rmSync(dataDir, { recursive: true, force: true }));

  it('generates each secret once, privately, and reads the same ones afterwards', () => {
    const first = resolveLedgerSecrets({ dataDir });
    const second = resolveLedgerSecrets({ dataDir });
    expect(second).toEqual(first);
    expect(new Set(Object.values(first)).size).toBe(3);
    for (const file of ['token.key', 'subject.key', 'folio.key']) {
      expect(statSync(join(secretsDir(dataDir), file)).mode & 0o777).toBe(0o600);
    }
    expect(statSync(secretsDir(dataDir)).mode & 0o777).toBe(0o700);
  });

  it('prefers configured secrets and writes nothing for them', () => {
    const tokenKey = 't'.repeat(40);
    const secrets = resolveLedgerSecrets({ dataDir, tokenKey });
    expect(secrets.tokenKey).toBe(tokenKey);
    expect(() => readFileSync(join(secretsDir(dataDir), 'token.key'))).toThrow();
  });
});
