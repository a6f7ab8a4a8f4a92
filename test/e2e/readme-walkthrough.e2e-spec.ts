import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createTestDatabase } from '../support/test-database';
import { startLedgerServer, temporaryDataDir, type LedgerServer } from './support/ledger-server';

/**
 * The README's walk-through is what a new user types first; it runs here
 * exactly as written (tokens from the CLI, curl), against a fresh ledger whose
 * secrets were generated into its data folder, and must end with a folio.
 */
describe('README walk-through', () => {
  const readme = readFileSync(join(__dirname, '../../README.md'), 'utf8');
  const walkthrough = /## Walk-through[\s\S]*?```bash\n([\s\S]*?)```/.exec(readme)?.[1] ?? '';
  let database: { url: string; drop: () => Promise<void> };
  let data: { dir: string; remove: () => void };
  let server: LedgerServer;

  beforeAll(async () => {
    database = await createTestDatabase('readme');
    data = temporaryDataDir();
    server = await startLedgerServer({ databaseUrl: database.url, dataDir: data.dir, secretsFromDataDir: true });
  }, 120_000);

  afterAll(async () => {
    await server?.kill();
    await database?.drop();
    data?.remove();
  });

  it('goes from registering EC0105 to a certificate folio', () => {
    expect(walkthrough).toContain('/certificate');
    const env: NodeJS.ProcessEnv = { ...process.env, B: server.baseUrl, LEDGER_DATA_DIR: data.dir, DATABASE_URL: database.url };
    for (const name of ['LEDGER_TOKEN_KEY', 'LEDGER_SUBJECT_KEY', 'LEDGER_FOLIO_KEY']) delete env[name];
    const run = spawnSync('bash', ['-euo', 'pipefail', '-c', walkthrough], { cwd: join(__dirname, '../..'), env, encoding: 'utf8', timeout: 120_000 });
    const answers = run.stdout.trim().split('\n');
    expect(run.status).toBe(0);
    // Every command was accepted (no problem documents), and the last one issued a certificate.
    expect(run.stdout).not.toContain('"status":4');
    expect(JSON.parse(answers[answers.length - 1])).toEqual({
      folio: expect.stringMatching(/^[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z*~$=U]$/),
      validUntil: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T/),
      position: expect.stringMatching(/^\d+$/),
    });
  }, 150_000);
});
