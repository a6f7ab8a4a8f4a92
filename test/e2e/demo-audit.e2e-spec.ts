import request from 'supertest';
import { callersFor } from './support/ledger-client';
import { eventStoreDbMode, POSTGRES_MODE, type LedgerMode, type LedgerUnderTest } from './support/ledger-modes';
import { runCli, temporaryDataDir } from './support/ledger-server';

jest.setTimeout(300_000);

interface Finding {
  findingId: string;
  kind: string;
  subject: { type: string; id: string };
  providerId: string | null;
  occurredOn: string | null;
  eventCount: number;
  states: string[];
}

/** The finding ids that do not depend on a folio (a ledger's folios depend on its key): equal on both event stores. */
const findingIdsByStore = new Map<string, string[]>();

/**
 * The demo as a comptroller sees it, on each event store: `ledger seed demo`
 * against a running ledger, then the programs' progress and the audit
 * findings under the default thresholds. The Baja California ceremony is
 * scaled down to 51 (`--people 672`) so that both fit in the suite's time:
 * everything else is the demo as it is, and the state's figures are checked
 * as the ceremony's size plus Tijuana's (2,000 + 410 in the default demo).
 */
describe.each<[LedgerMode, number, number]>([
  [POSTGRES_MODE, 672, 51],
  [eventStoreDbMode('DATABASE_URL'), 672, 51],
])('the demo for comptrollers: %#', (mode, people, ceremony) => {
  let ledger: LedgerUnderTest;
  let comptroller: string;
  let summary: Record<string, number>;
  const data = temporaryDataDir();

  beforeAll(async () => {
    ledger = await mode.start({ databasePrefix: 'demo_audit' });
    const { server } = ledger;
    comptroller = callersFor(server).comptroller;
    const env = { LEDGER_DATA_DIR: data.dir, LEDGER_TOKEN_KEY: server.secrets.tokenKey, LEDGER_SUBJECT_KEY: server.secrets.subjectKey, LEDGER_FOLIO_KEY: server.secrets.folioKey };
    const run = await runCli(['seed', 'demo', '--url', server.baseUrl, '--concurrency', '16', '--people', String(people)], env);
    if (run.code !== 0 || /Error/.test(run.stderr)) throw new Error(`seed demo failed (${run.code}): ${run.stderr.slice(-2_000)}`);
    summary = JSON.parse(run.stdout.slice(run.stdout.indexOf('{')));
    expect(summary.programs).toBe(2);
  });

  afterAll(async () => {
    await ledger?.stop();
    data.remove();
  });

  const get = async (path: string) => {
    const position = (await ledger.store.headPosition()).toString();
    const response = await request(ledger.server.baseUrl).get(`${path}${path.includes('?') ? '&' : '?'}minPosition=${position}`).set('Authorization', comptroller);
    expect(response.status).toBe(200);
    return response.body;
  };

  it("follows Tijuana's 600 by the end of 2018: 410 certified, in May's and September's deliveries", async () => {
    const progress = await get('/v1/programs/tijuana-ec0105-2018/progress?asOf=2018-12-31');
    expect(progress).toMatchObject({ certified: 410, certificates: 410, shareOfTarget: 0.6833, program: { targetCount: 600 } });
    expect(progress.byMonth.filter((month: { certified: number }) => month.certified > 0)).toEqual([
      { month: '2018-06', certified: 231, cumulative: 231 },
      { month: '2018-09', certified: 179, cumulative: 410 },
    ]);
    expect(progress.pace).toMatchObject({ projectedAtEnd: 410, onTrack: false, remainingDays: 0 });
    // On 30 September the pace so far (410 in 273 days) projected 548 by the end of the year.
    expect((await get('/v1/programs/tijuana-ec0105-2018/progress?asOf=2018-09-30')).pace).toMatchObject({ elapsedDays: 273, projectedAtEnd: 548, onTrack: false });
  });

  it("follows Baja California's half of its workforce: the ceremony and Tijuana, less the three certificates revoked in 2019", async () => {
    const atYearEnd = await get('/v1/programs/bc-ec0105-2018/progress?asOf=2018-12-31');
    expect(atYearEnd).toMatchObject({ certified: ceremony + 410, program: { targetCount: 8_135, target: { share: 0.5, workforce: 16_270 } } });
    expect(atYearEnd.byMonth.find((month: { month: string }) => month.month === '2018-11').certified).toBe(ceremony);
    const today = await get('/v1/programs/bc-ec0105-2018/progress');
    expect(today.certified).toBe(ceremony + 410 - 3);
    expect(today.shareOfTarget).toBeCloseTo((ceremony + 407) / 8_135, 4);
  });

  it('lists the irregular provider’s findings and nothing from the ordinary ceremonies', async () => {
    const findings: Finding[] = [];
    for (let cursor: string | null = ''; cursor !== null; ) {
      const page = await get(`/v1/audit/findings?limit=100${cursor ? `&cursor=${cursor}` : ''}`);
      findings.push(...page.items);
      cursor = page.nextCursor;
    }
    expect(findings.map((finding) => [finding.kind, finding.providerId, finding.occurredOn, finding.eventCount]).sort()).toEqual([
      ['evaluator_daily_volume', 'oc-peninsular', '2019-06-04', 30],
      ['evaluator_never_not_yet_competent', 'oc-peninsular', null, 100],
      ['issued_soon_after_enrollment', 'oc-peninsular', '2019-08-12', 3],
      ['issued_soon_after_enrollment', 'oc-peninsular', '2019-08-12', 3],
      ['provider_volume_outside_batch', 'oc-peninsular', '2019-07-01', 60],
      ['shared_evidence_digest', 'oc-peninsular', expect.stringMatching(/^2019-06-/), 3],
    ].sort());
    for (const finding of findings) expect(finding.states).toEqual(['QR']);
    findingIdsByStore.set(mode.name, findings.filter((finding) => finding.kind !== 'issued_soon_after_enrollment').map((finding) => finding.findingId).sort());
    if (findingIdsByStore.size === 2) expect([...findingIdsByStore.values()][1]).toEqual([...findingIdsByStore.values()][0]);
  });
});
