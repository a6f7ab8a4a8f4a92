import { createHash } from 'node:crypto';
import { findingIdOf } from '@ledger/projections';

interface Finding {
  findingId: string;
  kind: string;
  providerId: string | null;
  occurredOn: string | null;
  eventCount: number;
  states: string[];
}

/** Reads a comptroller's answer once the read models hold the whole demo. */
export type DemoGet = (path: string) => Promise<any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/**
 * What a comptroller reads of the demo (`ledger seed demo`), as `it` cases
 * for a suite that seeded it: the programs of the news and the audit
 * findings of the fictitious provider, nothing from the ordinary ceremonies.
 * `ceremony` is the size of the Baja California ceremony the seed was given.
 */
export function demoForComptrollers(context: () => { get: DemoGet; ceremony: number }): void {
  it("follows Tijuana's 600 by the end of 2018: 410 certified, in June's and September's deliveries", async () => {
    const { get } = context();
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
    const { get, ceremony } = context();
    const atYearEnd = await get('/v1/programs/bc-ec0105-2018/progress?asOf=2018-12-31');
    expect(atYearEnd).toMatchObject({ certified: ceremony + 410, program: { targetCount: 8_135, target: { share: 0.5, workforce: 16_270 } } });
    expect(atYearEnd.byMonth.find((month: { month: string }) => month.month === '2018-11').certified).toBe(ceremony);
    const today = await get('/v1/programs/bc-ec0105-2018/progress');
    expect(today.certified).toBe(ceremony + 410 - 3);
    expect(today.shareOfTarget).toBeCloseTo((ceremony + 407) / 8_135, 4);
  });

  it('lists the irregular provider’s findings, with the ids they have on every ledger, and nothing from the ordinary ceremonies', async () => {
    const { get } = context();
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
    // Ids derive from what a finding is about, never from positions: the same on either event store, and on a rebuild.
    const copied = `sha256:${createHash('sha256').update('portafolio compartido, Othón P. Blanco, 2019').digest('hex')}`;
    const ids = findings.filter((finding) => finding.kind !== 'issued_soon_after_enrollment').map((finding) => finding.findingId).sort();
    expect(ids).toEqual([
      findingIdOf('evaluator_daily_volume', 'ev-oc-peninsular-01', '2019-06-04'),
      findingIdOf('evaluator_never_not_yet_competent', 'ev-oc-peninsular-01'),
      findingIdOf('provider_volume_outside_batch', 'oc-peninsular', '2019-07-01'),
      findingIdOf('shared_evidence_digest', copied),
    ].sort());
  });
}
