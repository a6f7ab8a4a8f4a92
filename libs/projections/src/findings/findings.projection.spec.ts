import { DEFAULT_FINDING_THRESHOLDS, type FindingThresholds } from '@ledger/platform';
import type { RecordedEvent } from '@ledger/event-store';
import { foldInMemory, recorded, tableWrites } from '../testing/recorded';
import { businessDayOf, findingIdOf, findingsProjection } from './findings.projection';

const thresholds: FindingThresholds = { ...DEFAULT_FINDING_THRESHOLDS };

/** A small log builder: each event at the next position. */
class Log {
  readonly events: RecordedEvent[] = [];
  private digestCount = 0;

  private add(stream: string, type: string, data: object, metadata: Parameters<typeof recorded>[4] = {}): RecordedEvent {
    const event = recorded(this.events.length + 1, stream, type, data, { commandId: `cmd-${this.events.length + 1}`, causationId: `cmd-${this.events.length + 1}`, ...metadata });
    this.events.push(event);
    return event;
  }

  enroll(processId: string, enrolledAt: string, options: { subjectId?: string; state?: string; providerId?: string } = {}): void {
    this.add(`certification-${processId}`, 'CandidateEnrolled', {
      processId, subjectId: options.subjectId ?? `subject-${processId}`, standardCode: 'EC0105', standardVersion: '01', validityYears: 5,
      providerId: options.providerId ?? 'ece-bc', centreId: 'ce-1', agency: 'Oficialía Mayor', jurisdiction: { state: options.state ?? 'BC' }, employment: 'base', enrolledAt,
    });
  }

  judge(processId: string, evaluatorId: string, evaluatedAt: string, options: { result?: 'competent' | 'not_yet_competent'; digest?: string; importRun?: string } = {}): void {
    this.digestCount += 1;
    this.add(`certification-${processId}`, 'EvaluationRecorded', {
      processId, evaluatorId, result: options.result ?? 'competent', evaluatedAt, credentialFolio: 'CED-1',
      ...(options.importRun ? { importRun: options.importRun } : { evidenceDigest: options.digest ?? `sha256:${this.digestCount.toString(16).padStart(64, '0')}` }),
    });
  }

  issue(processId: string, folio: string, issuedAt: string, options: { providerId?: string; batch?: string; importRun?: string } = {}): void {
    const position = this.events.length + 1;
    this.add(`certification-${processId}`, 'CertificateIssued', {
      processId, folio, subjectId: `subject-${processId}`, standardCode: 'EC0105', providerId: options.providerId ?? 'ece-bc', evaluatorId: 'ev-1',
      issuedAt, validUntil: '2030-01-01T00:00:00.000Z', ...(options.importRun ? { importRun: options.importRun } : {}),
    }, options.batch ? { commandId: `${options.batch}-${position}`, causationId: options.batch } : {});
  }

  /** A whole certification: enrolled, judged competent, issued. */
  certify(n: number, dates: { enrolledAt: string; evaluatedAt: string; issuedAt: string }, options: { evaluatorId?: string; providerId?: string; batch?: string; state?: string } = {}): void {
    const processId = `p-${this.events.length + 1}-${n}`;
    this.enroll(processId, dates.enrolledAt, { providerId: options.providerId, state: options.state });
    this.judge(processId, options.evaluatorId ?? `ev-of-${processId}`, dates.evaluatedAt);
    this.issue(processId, `FOLIO-${processId}`, dates.issuedAt, { providerId: options.providerId, batch: options.batch });
  }
}

const ordinary = { enrolledAt: '2018-06-01T16:00:00.000Z', evaluatedAt: '2018-09-03T17:00:00.000Z', issuedAt: '2018-11-13T18:00:00.000Z' };

function findingsOf(log: Log, under: FindingThresholds = thresholds) {
  const rows = foldInMemory(findingsProjection(under), log.events);
  const findings = tableWrites(rows, 'findings').puts;
  const events = tableWrites(rows, 'finding_events').appends;
  const positionsOf = (findingId: unknown) => events.filter((row) => row.finding_id === findingId).map((row) => Number(row.position));
  return { findings, positionsOf };
}

describe('findings projection', () => {
  it('raises nothing for an ordinary ceremony: weeks between the steps, judgments spread, issued in one batch', () => {
    const log = new Log();
    for (let n = 0; n < 300; n++) {
      // Seven evaluators, each at most six a day, a "not yet competent" now and then.
      const day = String(3 + Math.floor(n / 42)).padStart(2, '0');
      log.certify(n, { ...ordinary, evaluatedAt: `2018-09-${day}T17:00:00.000Z` }, { batch: 'batch-2018-11-13', evaluatorId: `ev-${n % 7}` });
      if (n % 20 === 7) log.judge(`p-x-${n}`, `ev-${n % 7}`, '2018-09-01T17:00:00.000Z', { result: 'not_yet_competent' });
    }
    expect(findingsOf(log).findings).toEqual([]);
  });

  describe('a certificate issued implausibly soon after enrollment', () => {
    it('is raised, with the enrollment, the judgment and the issuance, high when under a day', () => {
      const log = new Log();
      log.enroll('p1', '2019-05-02T15:00:00.000Z');
      log.judge('p1', 'ev-1', '2019-05-02T17:00:00.000Z');
      log.issue('p1', 'FOLIO-1', '2019-05-02T20:00:00.000Z');
      const { findings, positionsOf } = findingsOf(log);
      expect(findings).toEqual([
        expect.objectContaining({
          finding_id: findingIdOf('issued_soon_after_enrollment', 'FOLIO-1'), kind: 'issued_soon_after_enrollment', severity: 'high',
          subject_type: 'certificate', subject_id: 'FOLIO-1', provider_id: 'ece-bc', occurred_on: '2019-05-02', states: ['BC'], raised_position: '3', event_count: 3,
          summary: 'Certificate FOLIO-1 was issued 5 hours after its enrollment, less than the 3 days an evaluation and its issuance take.',
        }),
      ]);
      expect(positionsOf(findings[0].finding_id)).toEqual([1, 2, 3]);
    });

    it('is medium past a day, and not raised at the threshold or beyond it', () => {
      const log = new Log();
      log.enroll('p1', '2019-05-01T15:00:00.000Z');
      log.issue('p1', 'FOLIO-1', '2019-05-03T14:59:59.000Z');
      log.enroll('p2', '2019-05-01T15:00:00.000Z');
      log.issue('p2', 'FOLIO-2', '2019-05-04T15:00:00.000Z');
      expect(findingsOf(log).findings.map((row) => [row.subject_id, row.severity])).toEqual([['FOLIO-1', 'medium']]);
      expect(findingsOf(log, { ...thresholds, minDaysToCertificate: 1 }).findings).toEqual([]);
    });
  });

  describe('an evaluator with implausibly many judgments in one business day', () => {
    it('is raised on the judgment past the threshold, grows with the day, and turns high past twice the threshold', () => {
      const log = new Log();
      for (let n = 0; n < 30; n++) log.certify(n, { ...ordinary, evaluatedAt: `2019-06-04T${String(13 + (n % 10)).padStart(2, '0')}:00:00.000Z` }, { evaluatorId: 'ev-mill', batch: 'b1' });
      const { findings, positionsOf } = findingsOf(log);
      expect(findings).toEqual([
        expect.objectContaining({ kind: 'evaluator_daily_volume', subject_id: 'ev-mill', evaluator_id: 'ev-mill', occurred_on: '2019-06-04', severity: 'high', event_count: 30, details: { judgments: 30, threshold: 12 } }),
      ]);
      // Raised by the 13th judgment (the 13th certification's second event), with the twelve before it.
      expect(findings[0].raised_position).toBe(String(12 * 3 + 2));
      expect(positionsOf(findings[0].finding_id)).toEqual(Array.from({ length: 30 }, (_, n) => n * 3 + 2));
    });

    it('is not raised at the threshold, nor for judgments spread over two Mexico City days', () => {
      const log = new Log();
      for (let n = 0; n < 12; n++) log.certify(n, { ...ordinary, evaluatedAt: '2019-06-04T17:00:00.000Z' }, { evaluatorId: 'ev-a', batch: 'b1' });
      // 2019-06-05 02:00 UTC is still 4 June in Mexico City (UTC−5 in summer 2019), 07:00 UTC is 5 June.
      for (let n = 0; n < 12; n++) log.certify(n, { ...ordinary, evaluatedAt: '2019-06-05T07:00:00.000Z' }, { evaluatorId: 'ev-b', batch: 'b1' });
      for (let n = 0; n < 6; n++) log.certify(n, { ...ordinary, evaluatedAt: '2019-06-04T23:00:00.000Z' }, { evaluatorId: 'ev-b', batch: 'b1' });
      expect(findingsOf(log).findings).toEqual([]);
      expect(businessDayOf('2019-06-05T02:00:00.000Z')).toBe('2019-06-04');
    });

    it('gives every instant the day Intl gives it, across local midnights and the clock changes of 2019 and 2022', () => {
      const intl = new Intl.DateTimeFormat('en-CA', { timeZone: 'America/Mexico_City', year: 'numeric', month: '2-digit', day: '2-digit' });
      // Every 7 minutes and 13 seconds through days around DST starting (7 April 2019) and ending (27 October 2019, 30 October 2022).
      for (const from of ['2019-04-06T00:00:00.000Z', '2019-10-26T00:00:00.000Z', '2022-10-29T00:00:00.000Z', '2026-12-31T00:00:00.000Z']) {
        for (let time = Date.parse(from); time < Date.parse(from) + 3 * 86_400_000; time += 433_000) {
          const instant = new Date(time).toISOString();
          // Twice: the second answer comes from the kept hour.
          expect({ instant, day: businessDayOf(instant) }).toEqual({ instant, day: intl.format(time) });
          expect({ instant, day: businessDayOf(instant) }).toEqual({ instant, day: intl.format(time) });
        }
      }
      expect(businessDayOf('not an instant')).toBeUndefined();
      expect(businessDayOf(1_560_000_000_000)).toBeUndefined();
    });
  });

  describe('an evaluator who never judges anyone "not yet competent"', () => {
    it('is raised at the hundredth competent judgment with all hundred, and does not grow after', () => {
      const log = new Log();
      for (let n = 0; n < 110; n++) log.certify(n, { ...ordinary, evaluatedAt: `2019-${String(1 + Math.floor(n / 10)).padStart(2, '0')}-15T17:00:00.000Z` }, { evaluatorId: 'ev-yes', batch: 'b1' });
      const { findings, positionsOf } = findingsOf(log);
      expect(findings).toEqual([expect.objectContaining({ kind: 'evaluator_never_not_yet_competent', subject_id: 'ev-yes', event_count: 100, raised_position: String(99 * 3 + 2) })]);
      expect(positionsOf(findings[0].finding_id)).toHaveLength(100);
    });

    it('is not raised for an evaluator with one "not yet competent" among as many', () => {
      const log = new Log();
      log.enroll('p-nyc', '2018-06-01T16:00:00.000Z');
      log.judge('p-nyc', 'ev-fair', '2018-09-01T17:00:00.000Z', { result: 'not_yet_competent' });
      for (let n = 0; n < 150; n++) log.certify(n, { ...ordinary, evaluatedAt: new Date(Date.UTC(2019, 0, 2, 17) + Math.floor(n / 10) * 86_400_000).toISOString() }, { evaluatorId: 'ev-fair', batch: 'b1' });
      expect(findingsOf(log).findings).toEqual([]);
    });
  });

  describe('one evidence digest filed for different candidates', () => {
    const copied = `sha256:${'c0'.repeat(32)}`;

    it('is raised when a second candidate files it, and grows with each more', () => {
      const log = new Log();
      for (const [index, state] of ['BC', 'QR', 'BC'].entries()) {
        log.enroll(`p${index}`, '2019-05-01T15:00:00.000Z', { state });
        log.judge(`p${index}`, 'ev-1', '2019-06-01T17:00:00.000Z', { digest: copied });
      }
      const { findings, positionsOf } = findingsOf(log);
      expect(findings).toEqual([
        expect.objectContaining({ kind: 'shared_evidence_digest', severity: 'high', subject_type: 'evidence', subject_id: copied, states: ['BC', 'QR'], event_count: 3, raised_position: '4', details: expect.objectContaining({ candidates: 3 }) }),
      ]);
      expect(positionsOf(findings[0].finding_id)).toEqual([2, 4, 6]);
    });

    it('is not raised when one candidate files the same portfolio twice (judged again after "not yet competent")', () => {
      const log = new Log();
      log.enroll('p1', '2019-05-01T15:00:00.000Z');
      log.judge('p1', 'ev-1', '2019-06-01T17:00:00.000Z', { digest: copied, result: 'not_yet_competent' });
      log.judge('p1', 'ev-1', '2019-07-01T17:00:00.000Z', { digest: copied });
      expect(findingsOf(log).findings).toEqual([]);
    });
  });

  describe('a provider issuing far more than usual outside a batch', () => {
    it('is raised past the floor when the provider usually issues a few a day, and reports its usual', () => {
      const log = new Log();
      for (let day = 1; day <= 10; day++) for (let n = 0; n < 2; n++) log.certify(n, { ...ordinary, issuedAt: `2019-03-${String(day).padStart(2, '0')}T18:00:00.000Z` }, { providerId: 'oc-x' });
      for (let n = 0; n < 40; n++) log.certify(n, { ...ordinary, issuedAt: '2019-04-02T18:00:00.000Z' }, { providerId: 'oc-x' });
      const { findings, positionsOf } = findingsOf(log);
      expect(findings).toEqual([
        expect.objectContaining({ kind: 'provider_volume_outside_batch', subject_id: 'oc-x', occurred_on: '2019-04-02', event_count: 40, details: { issued: 40, usualPerDay: 2, threshold: 25 } }),
      ]);
      expect(positionsOf(findings[0].finding_id)).toHaveLength(40);
    });

    it('is not raised for a batch of thousands, for an import, or for a provider whose usual is that high', () => {
      const log = new Log();
      for (let n = 0; n < 2_000; n++) log.certify(n, ordinary, { providerId: 'ece-bc', batch: 'ceremony', evaluatorId: `ev-${n % 400}` });
      for (let n = 0; n < 60; n++) {
        log.enroll(`imp-${n}`, '2010-01-01T00:00:00.000Z');
        log.issue(`imp-${n}`, `PAPER-${n}`, '2010-03-01T00:00:00.000Z', { providerId: 'ece-old', importRun: 'run-1' });
      }
      // Twenty a day one by one is its usual (under the floor, so never a finding), and sixty is three times that.
      for (let day = 1; day <= 10; day++) for (let n = 0; n < 20; n++) log.certify(n, { ...ordinary, issuedAt: `2019-03-${String(day).padStart(2, '0')}T18:00:00.000Z` }, { providerId: 'oc-busy', evaluatorId: `ev-busy-${n}` });
      for (let n = 0; n < 60; n++) log.certify(n, { ...ordinary, issuedAt: '2019-04-02T18:00:00.000Z' }, { providerId: 'oc-busy', evaluatorId: `ev-busy-${n}` });
      expect(findingsOf(log).findings).toEqual([]);
    });
  });

  it('counts no imported judgment towards an evaluator’s day or streak: an archive keeps only what was certified', () => {
    const log = new Log();
    for (let n = 0; n < 120; n++) {
      log.enroll(`imp-${n}`, '2010-01-04T15:00:00.000Z');
      log.judge(`imp-${n}`, 'ev-archive', '2010-03-01T17:00:00.000Z', { importRun: 'run-1' });
    }
    expect(findingsOf(log).findings).toEqual([]);
  });

  it('raises the same findings with the same ids however the log is cut into batches', () => {
    const log = new Log();
    for (let n = 0; n < 20; n++) log.certify(n, { ...ordinary, evaluatedAt: '2019-06-04T17:00:00.000Z', issuedAt: '2019-06-05T18:00:00.000Z', enrolledAt: '2019-06-04T15:00:00.000Z' }, { evaluatorId: 'ev-mill', providerId: 'oc-x' });
    const whole = findingsOf(log).findings;
    expect(whole.length).toBeGreaterThan(20);
    // Fold in two halves, the second reading the rows the first stored, as the runner does across batches.
    const projection = findingsProjection(thresholds);
    const first = foldInMemory(projection, log.events.slice(0, 31));
    const stored = Object.fromEntries(first.writes().map((writes) => [writes.table.name, [...writes.puts]]));
    const second = foldInMemory(projection, log.events.slice(31), stored);
    const merged = new Map([...tableWrites(first, 'findings').puts, ...tableWrites(second, 'findings').puts].map((row) => [row.finding_id, row]));
    expect([...merged.values()].sort((a, b) => String(a.finding_id).localeCompare(String(b.finding_id)))).toEqual(
      [...whole].sort((a, b) => String(a.finding_id).localeCompare(String(b.finding_id))),
    );
  });

  it('copes with events that lack what it reads', () => {
    const events = [
      recorded(1, 'certification-x', 'EvaluationRecorded', { evaluatorId: 'ev-1' }),
      recorded(2, 'certification-x', 'CertificateIssued', { folio: 'F', issuedAt: 'not a date' }),
      recorded(3, 'certification-x', 'CandidateEnrolled', {}),
    ];
    expect(() => foldInMemory(findingsProjection(thresholds), events)).not.toThrow();
  });

  it('names its thresholds in its settings, so other thresholds rebuild it', () => {
    expect(findingsProjection(thresholds).settings).toBe(findingsProjection({ ...thresholds }).settings);
    expect(findingsProjection({ ...thresholds, maxJudgmentsPerDay: 20 }).settings).not.toBe(findingsProjection(thresholds).settings);
  });
});
