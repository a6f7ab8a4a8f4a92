import request from 'supertest';
import { DEFAULT_FINDING_THRESHOLDS } from '@ledger/platform';
import { findingsProjection, rebuildProjections } from '@ledger/projections';
import type { EventStore } from '@ledger/event-store';
import { callersFor, enrollmentBody, EVALUATOR_ID, nextPerson, post, PROVIDER_ID, seedReferenceData, type Callers } from './support/ledger-client';
import { eventStoreDbMode, POSTGRES_MODE, type LedgerMode, type LedgerUnderTest } from './support/ledger-modes';
import type { LedgerServer } from './support/ledger-server';
import { signToken } from './support/tokens';

jest.setTimeout(240_000);

/** Low thresholds, so that a few requests show each kind; the defaults are the projection spec's. */
const THRESHOLDS = { ...DEFAULT_FINDING_THRESHOLDS, maxJudgmentsPerDay: 3, allCompetentAfter: 10, singleIssuanceFloor: 4 };
const ENV = {
  LEDGER_FINDING_MAX_JUDGMENTS_PER_DAY: '3',
  LEDGER_FINDING_ALL_COMPETENT_AFTER: '10',
  LEDGER_FINDING_SINGLE_ISSUANCE_FLOOR: '4',
};

interface Finding {
  findingId: string;
  kind: string;
  severity: string;
  subject: { type: string; id: string };
  providerId: string | null;
  evaluatorId: string | null;
  occurredOn: string | null;
  summary: string;
  states: string[];
  eventCount: number;
  positions: string[];
  raisedAt: string;
}

/** Ids that do not depend on a folio (folios differ with each ledger's key) are the same on both event stores. */
const idsByStore = new Map<string, string[]>();

/**
 * Audit findings on the real ledger, once per event store: a history with
 * one example of each kind and a close case of each that is not one,
 * written through the command API, then read through GET /v1/audit/findings
 * and after a rebuild.
 */
describe.each<LedgerMode>([POSTGRES_MODE, eventStoreDbMode('DATABASE_URL')])('audit findings: $name', (mode) => {
  let ledger: LedgerUnderTest;
  let server: LedgerServer;
  let store: EventStore;
  let callers: Callers;
  let lastWrite = '0';
  let digests = 0;
  const uniqueDigest = () => `sha256:${(++digests).toString(16).padStart(64, '0')}`;

  async function enroll(enrolledAt: string, state = 'BC'): Promise<string> {
    const enrolled = await post(server, '/v1/enrollments', callers.registrar, enrollmentBody(nextPerson(state), { enrolledAt, jurisdiction: { state } }));
    expect(enrolled.status).toBe(201);
    return (enrolled.body as { processId: string }).processId;
  }

  async function judge(processId: string, evaluatedAt: string, options: { digest?: string; result?: string } = {}): Promise<void> {
    const judged = await post(server, `/v1/enrollments/${processId}/evaluations`, callers.evaluator, {
      result: options.result ?? 'competent', evidenceDigest: options.digest ?? uniqueDigest(), evaluatedAt,
    });
    expect(judged.status).toBe(201);
    lastWrite = (judged.body as { position: string }).position;
  }

  async function issueOne(processId: string, issuedAt: string): Promise<string> {
    const issued = await post(server, `/v1/enrollments/${processId}/certificate`, callers.certifier, { issuedAt });
    expect(issued.status).toBe(201);
    lastWrite = (issued.body as { position: string }).position;
    return (issued.body as { folio: string }).folio;
  }

  async function findings(query = '', token = callers.comptroller): Promise<Finding[]> {
    const all: Finding[] = [];
    for (let cursor: string | null = ''; cursor !== null; ) {
      const response = await request(server.baseUrl)
        .get(`/v1/audit/findings?minPosition=${lastWrite}&limit=2${cursor ? `&cursor=${cursor}` : ''}${query}`)
        .set('Authorization', token);
      expect(response.status).toBe(200);
      all.push(...(response.body.items as Finding[]));
      cursor = response.body.nextCursor as string | null;
    }
    return all;
  }

  let soonFolio: string;

  beforeAll(async () => {
    ledger = await mode.start({ databasePrefix: 'findings', server: { env: ENV } });
    ({ server, store } = ledger);
    callers = callersFor(server);
    await seedReferenceData(server, callers);

    // Ordinary work: three judgments a day at most, one "not yet competent" first, issued weeks later in a batch.
    const ordinary: string[] = [];
    const first = await enroll('2019-01-07T15:00:00Z');
    await judge(first, '2019-02-01T17:00:00Z', { result: 'not_yet_competent' });
    ordinary.push(first);
    for (let n = 0; n < 8; n++) ordinary.push(await enroll('2019-01-07T15:00:00Z'));
    for (const [index, processId] of ordinary.entries()) await judge(processId, `2019-02-${String(4 + Math.floor(index / 3)).padStart(2, '0')}T17:00:00Z`);
    const batch = await post(server, '/v1/certificate-batches', callers.certifier, { processIds: ordinary, issuedAt: '2019-03-15T18:00:00Z' });
    expect(batch.status).toBe(200);

    // 1. Enrolled, judged and issued within five hours.
    const rushed = await enroll('2019-05-02T15:00:00Z');
    await judge(rushed, '2019-05-02T17:00:00Z');
    soonFolio = await issueOne(rushed, '2019-05-02T20:00:00Z');

    // 2. Four judgments in one day by one evaluator, one of them a copy of another candidate's portfolio (3.), in Quintana Roo.
    const copied = uniqueDigest();
    const crowded = [await enroll('2019-05-01T15:00:00Z', 'QR'), await enroll('2019-05-01T15:00:00Z'), await enroll('2019-05-01T15:00:00Z'), await enroll('2019-05-01T15:00:00Z', 'QR')];
    for (const [index, processId] of crowded.entries()) await judge(processId, '2019-06-04T17:00:00Z', { digest: index === 0 || index === 3 ? copied : undefined });

    // 4. Six issued one by one on one day, weeks after their judgment: more than the floor of four, and more than five
    //    times the provider's usual (one a day: the rushed certificate was its only other one issued so).
    for (const processId of crowded) await issueOne(processId, '2019-07-01T18:00:00Z');
    for (const day of ['05', '06']) {
      const late = await enroll('2019-05-01T15:00:00Z');
      await judge(late, `2019-06-${day}T17:00:00Z`);
      await issueOne(late, '2019-07-01T19:00:00Z');
    }
  });

  afterAll(async () => {
    await ledger?.stop();
  });

  it('lists one finding of each kind the history shows, each with its events, and nothing from the ordinary batch', async () => {
    const all = await findings();
    expect(all.map((finding) => finding.kind).sort()).toEqual([
      'evaluator_daily_volume',
      // No 'evaluator_never_not_yet_competent': the evaluator's first judgment was "not yet competent".
      'issued_soon_after_enrollment',
      'provider_volume_outside_batch',
      'shared_evidence_digest',
    ]);
    const byKind = Object.fromEntries(all.map((finding) => [finding.kind, finding]));
    expect(byKind.issued_soon_after_enrollment).toMatchObject({ subject: { type: 'certificate', id: soonFolio }, severity: 'high', providerId: PROVIDER_ID, eventCount: 3, occurredOn: '2019-05-02' });
    expect(byKind.evaluator_daily_volume).toMatchObject({ subject: { type: 'evaluator', id: EVALUATOR_ID }, occurredOn: '2019-06-04', eventCount: 4, states: ['BC', 'QR'] });
    expect(byKind.shared_evidence_digest).toMatchObject({ subject: { type: 'evidence' }, severity: 'high', eventCount: 2, states: ['QR'] });
    expect(byKind.provider_volume_outside_batch).toMatchObject({ subject: { type: 'provider', id: PROVIDER_ID }, occurredOn: '2019-07-01', eventCount: 6 });
    for (const finding of all) {
      expect(finding.positions).toHaveLength(finding.eventCount);
      expect(finding.summary.length).toBeGreaterThan(20);
      // Each position is an event the comptroller can read in the audit trail.
      const events = await request(server.baseUrl).get(`/v1/audit/events?limit=500`).set('Authorization', callers.comptroller);
      const known = new Set((events.body.items as { position: string }[]).map((event) => event.position));
      for (const position of finding.positions) expect(known.has(position)).toBe(true);
    }
    idsByStore.set(mode.name, all.filter((finding) => finding.kind !== 'issued_soon_after_enrollment').map((finding) => finding.findingId).sort());
    if (idsByStore.size === 2) {
      const [first, second] = [...idsByStore.values()];
      expect(second).toEqual(first);
    }
  });

  it('filters by kind, provider, evaluator and business day, and scopes a comptroller to its state', async () => {
    expect((await findings('&kind=shared_evidence_digest')).map((finding) => finding.kind)).toEqual(['shared_evidence_digest']);
    expect(await findings('&providerId=OC-017-20')).toEqual([]);
    // The rushed certificate names its evaluator too.
    expect((await findings(`&evaluatorId=${EVALUATOR_ID}`)).map((finding) => finding.kind).sort()).toEqual(['evaluator_daily_volume', 'issued_soon_after_enrollment', 'shared_evidence_digest']);
    expect((await findings('&from=2019-06-01&to=2019-06-30')).map((finding) => finding.kind).sort()).toEqual(['evaluator_daily_volume', 'shared_evidence_digest']);
    expect((await findings('&severity=high')).map((finding) => finding.kind).sort()).toEqual(['issued_soon_after_enrollment', 'shared_evidence_digest']);
    const quintanaRoo = `Bearer ${signToken(server.secrets.tokenKey, { sub: 'auditor-qroo', role: 'comptroller', org: 'SECOGEQROO' }, 3600, { jurisdiction: 'QR' })}`;
    expect((await findings('', quintanaRoo)).map((finding) => finding.kind).sort()).toEqual(['evaluator_daily_volume', 'provider_volume_outside_batch', 'shared_evidence_digest']);
  });

  it('gives the same findings with the same ids after a rebuild', async () => {
    const before = await findings();
    const rebuilt = await rebuildProjections({ connectionString: await ledger.postgresUrl(), store, projections: [findingsProjection(THRESHOLDS)] });
    expect(rebuilt.generations.map((generation) => generation.projection)).toEqual(['findings']);
    expect(await findings()).toEqual(before);
  });

  it('refuses filters it cannot answer, naming the parameter, and callers that are not comptrollers', async () => {
    for (const [query, field] of [
      ['kind=everything', 'kind'],
      ['severity=low', 'severity'],
      ['from=2019-02-30', 'from'],
      ['to=yesterday', 'to'],
      ['evaluatorId=a%20b', 'evaluatorId'],
      ['providerId=%00', 'providerId'],
      ['cursor=eyJhZnRlciI6IjEifQ', 'cursor'],
      ['limit=0', 'limit'],
      ['limit=501', 'limit'],
      ['kind=shared_evidence_digest&kind=evaluator_daily_volume', 'kind'],
      [`from=${'9'.repeat(400)}`, 'from'],
      ['cursor=' + Buffer.from(JSON.stringify({ after: '1:F-' + 'Z'.repeat(20) })).toString('base64url'), 'cursor'],
    ]) {
      const response = await request(server.baseUrl).get(`/v1/audit/findings?${query}`).set('Authorization', callers.comptroller);
      expect(`${query} ${response.status}`).toBe(`${query} 400`);
      expect(JSON.stringify(response.body)).toContain(field);
    }
    expect((await request(server.baseUrl).get('/v1/audit/findings').set('Authorization', callers.certifier)).status).toBe(403);
    expect((await request(server.baseUrl).get('/v1/audit/findings')).status).toBe(401);
  });
});
