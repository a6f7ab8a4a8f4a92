import { decodeJwt } from 'jose';
import { runCli, temporaryDataDir } from '../e2e/support/ledger-server';

/** `ledger token` issues a development token for every role, and a comptroller's scoped to one state. */
describe('ledger token', () => {
  const dataDir = temporaryDataDir();
  const env = { LEDGER_TOKEN_KEY: 'token-command-test-key-'.repeat(2), LEDGER_DATA_DIR: dataDir.dir };
  afterAll(() => dataDir.remove());
  const lastLine = (text: string) => text.trim().split('\n').at(-1) as string;

  it('issues privacy tokens, and comptroller tokens with a jurisdiction, the token alone on the last line', async () => {
    const [privacy, scoped] = await Promise.all([
      runCli(['token', '--role', 'privacy', '--org', 'UT-SFP', '--sub', 'enlace-1'], env),
      runCli(['token', '--role', 'comptroller', '--org', 'SECOES-QR', '--sub', 'auditora-qr', '--jurisdiction', 'QR', '--ttl', '15m'], env),
    ]);
    expect([privacy.code, scoped.code]).toEqual([0, 0]);
    expect(decodeJwt(lastLine(privacy.stdout))).toMatchObject({ sub: 'enlace-1', role: 'privacy', org: 'UT-SFP' });
    expect(decodeJwt(lastLine(privacy.stdout))).not.toHaveProperty('jurisdiction');
    const claims = decodeJwt(lastLine(scoped.stdout));
    expect(claims).toMatchObject({ sub: 'auditora-qr', role: 'comptroller', org: 'SECOES-QR', jurisdiction: 'QR' });
    expect((claims.exp as number) - (claims.iat as number)).toBe(900);
    expect(scoped.stderr).toContain('jurisdiction QR');
  }, 90_000);

  it('refuses a jurisdiction that is no state code, and a jurisdiction for any role but comptroller', async () => {
    const [unknown, name, registrar] = await Promise.all([
      runCli(['token', '--role', 'comptroller', '--org', 'SECOES', '--sub', 'a-1', '--jurisdiction', 'XX'], env),
      runCli(['token', '--role', 'comptroller', '--org', 'SECOES', '--sub', 'a-1', '--jurisdiction', 'Quintana Roo'], env),
      runCli(['token', '--role', 'registrar', '--org', 'CECATI-149', '--sub', 'r-1', '--jurisdiction', 'QR'], env),
    ]);
    expect([unknown.code, name.code, registrar.code]).toEqual([1, 1, 1]);
    expect(unknown.stderr).toMatch(/expected a state code, one of AS, BC/);
    expect(name.stderr).toMatch(/expected a state code/);
    expect(registrar.stderr).toMatch(/--jurisdiction scopes a comptroller/);
    for (const run of [unknown, name, registrar]) expect(run.stdout).toBe('');
  }, 90_000);
});
