import request from 'supertest';
import { callersFor } from './support/ledger-client';
import { demoForComptrollers } from './support/demo-checks';
import { eventStoreDbMode, type LedgerUnderTest } from './support/ledger-modes';
import { runCli, temporaryDataDir } from './support/ledger-server';

jest.setTimeout(300_000);

/**
 * The demo as a comptroller sees it, on EventStoreDB: `ledger seed demo`
 * against a running ledger, then the programs' progress and the audit
 * findings under the default thresholds. The same checks run on PostgreSQL
 * in the console's browser test (test/browser/console.e2e-spec.ts), on the
 * demo it seeds. The Baja California ceremony is scaled down to 51
 * (`--people 672`): everything else is the demo as it is, and the state's
 * figures are checked as the ceremony's size plus Tijuana's (2,000 + 410 in
 * the default demo).
 */
describe('the demo for comptrollers, on EventStoreDB', () => {
  const ceremony = 51;
  let ledger: LedgerUnderTest;
  let comptroller: string;
  const data = temporaryDataDir();

  beforeAll(async () => {
    ledger = await eventStoreDbMode('DATABASE_URL').start({ databasePrefix: 'demo_audit' });
    const { server } = ledger;
    comptroller = callersFor(server).comptroller;
    const env = { LEDGER_DATA_DIR: data.dir, LEDGER_TOKEN_KEY: server.secrets.tokenKey, LEDGER_SUBJECT_KEY: server.secrets.subjectKey, LEDGER_FOLIO_KEY: server.secrets.folioKey };
    const run = await runCli(['seed', 'demo', '--url', server.baseUrl, '--concurrency', '16', '--people', String(621 + ceremony)], env);
    if (run.code !== 0 || /Error/.test(run.stderr)) throw new Error(`seed demo failed (${run.code}): ${run.stderr.slice(-2_000)}`);
    expect(JSON.parse(run.stdout.slice(run.stdout.indexOf('{'))).programs).toBe(2);
  });

  afterAll(async () => {
    await ledger?.stop();
    data.remove();
  });

  demoForComptrollers(() => ({
    ceremony,
    get: async (path) => {
      const position = (await ledger.store.headPosition()).toString();
      const response = await request(ledger.server.baseUrl).get(`${path}${path.includes('?') ? '&' : '?'}minPosition=${position}`).set('Authorization', comptroller);
      expect(response.status).toBe(200);
      return response.body;
    },
  }));
});
