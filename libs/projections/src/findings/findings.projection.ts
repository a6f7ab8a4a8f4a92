import type { LedgerEventType } from '@ledger/domain';
import { createHash } from 'node:crypto';
import type { FindingThresholds } from '@ledger/platform';
import type { RecordedEvent } from '@ledger/event-store';
import { asFoldedEvent, unexpectedEvent, positionOf, type RecordedLedgerEvent } from '../ledger-events';
import { append, put, ref, type Projection, type Row, type RowChange, type RowReader, type RowRef } from '../projection';
import {
  evaluatorDaysTable,
  evaluatorJudgmentsTable,
  evidenceDigestsTable,
  findingEventsTable,
  findingProcessesTable,
  findingsTable,
  providerDaysTable,
  providerVolumesTable,
} from './findings.tables';

export type FindingKind =
  | 'issued_soon_after_enrollment'
  | 'evaluator_daily_volume'
  | 'evaluator_never_not_yet_competent'
  | 'shared_evidence_digest'
  | 'provider_volume_outside_batch';

export const FINDING_KINDS: readonly FindingKind[] = [
  'issued_soon_after_enrollment',
  'evaluator_daily_volume',
  'evaluator_never_not_yet_competent',
  'shared_evidence_digest',
  'provider_volume_outside_batch',
];

export type FindingSeverity = 'medium' | 'high';

/** A counter keeps at most this many positions until its finding is raised; a finding shows its first ones and its event count. */
export const MAX_POSITIONS_KEPT = 1_000;
const DAY_MS = 86_400_000;

const PROCESSES = findingProcessesTable.name;
const EVALUATOR_DAYS = evaluatorDaysTable.name;
const EVALUATORS = evaluatorJudgmentsTable.name;
const EVIDENCE = evidenceDigestsTable.name;
const PROVIDER_DAYS = providerDaysTable.name;
const PROVIDERS = providerVolumesTable.name;

/** What this projection folds: its eventTypes, and the union its folds' switches cover. */
const EVENT_TYPES = ['CandidateEnrolled', 'EvaluationRecorded', 'CertificateIssued'] as const satisfies readonly LedgerEventType[];

/**
 * Audit findings (DOMAIN.md, "Audit findings"): patterns the rules cannot
 * refuse but a comptroller should look at, raised as the log grows, each
 * with the events that show it. The thresholds are the projection's
 * settings: a generation built under other thresholds is rebuilt, so the
 * findings are always those of the whole history under today's thresholds.
 * Issuances in a batch (a ceremony) and imported history never count as
 * issuing "outside a batch", and imported judgments count towards no
 * evaluator's day or streak (an archive keeps only what was certified).
 */
export function findingsProjection(thresholds: FindingThresholds): Projection {
  return {
    name: 'findings',
    version: 1,
    settings: settingsOf(thresholds),
    eventTypes: EVENT_TYPES,
    tables: [findingsTable, findingEventsTable, findingProcessesTable, evaluatorDaysTable, evaluatorJudgmentsTable, evidenceDigestsTable, providerDaysTable, providerVolumesTable],
    reads,
    fold: (rows, recorded) => fold(thresholds, rows, recorded),
  };
}

/** The thresholds in a fixed order: equal thresholds, equal settings. */
function settingsOf(thresholds: FindingThresholds): string {
  const keys = Object.keys(thresholds).sort() as (keyof FindingThresholds)[];
  return JSON.stringify(Object.fromEntries(keys.map((key) => [key, thresholds[key]])));
}

/** `F-` and 20 hexadecimal digits of SHA-256 over the kind and what the finding is about. */
export function findingIdOf(kind: FindingKind, ...about: string[]): string {
  return `F-${createHash('sha256').update([kind, ...about].join('\u0000')).digest('hex').slice(0, 20).toUpperCase()}`;
}

const MEXICO_CITY = new Intl.DateTimeFormat('en-US', { timeZone: 'America/Mexico_City', year: 'numeric', month: '2-digit', day: '2-digit' });

/**
 * The calendar day of an instant in Mexico City, `YYYY-MM-DD`; undefined for
 * what is no instant. Asking Intl for it took a twentieth of a rebuild
 * (every judgment and issuance asks), so the day is kept per UTC hour: when
 * the hour's first and last millisecond fall on the same day, so does every
 * instant between (Mexico City's offsets are whole hours, and its clock
 * changes at 2:00), and the hour's day is kept; an hour that straddles a
 * change of day (a local midnight) is asked again for each instant in it.
 */
export function businessDayOf(instant: unknown): string | undefined {
  if (typeof instant !== 'string') return undefined;
  const time = Date.parse(instant);
  if (!Number.isFinite(time)) return undefined;
  const hour = Math.floor(time / HOUR_MS);
  const kept = daysOfHours.get(hour);
  if (kept !== undefined) return kept === STRADDLES ? mexicoCityDayOf(time) : kept;
  const first = mexicoCityDayOf(hour * HOUR_MS);
  const last = mexicoCityDayOf(hour * HOUR_MS + HOUR_MS - 1);
  if (daysOfHours.size >= MAX_KEPT_HOURS) daysOfHours.clear();
  daysOfHours.set(hour, first === last ? first : STRADDLES);
  return first === last ? first : mexicoCityDayOf(time);
}

function mexicoCityDayOf(time: number): string {
  const parts = Object.fromEntries(MEXICO_CITY.formatToParts(time).map((part) => [part.type, part.value]));
  return `${parts.year}-${parts.month}-${parts.day}`;
}

const HOUR_MS = 3_600_000;
/** An hour in which the day changes: its instants are asked one by one. */
const STRADDLES = '';
/** About eleven years of hours (a few MB); the whole is dropped when full. */
const MAX_KEPT_HOURS = 100_000;
const daysOfHours = new Map<number, string>();

const text = (value: unknown): string | undefined => (typeof value === 'string' && value !== '' ? value : undefined);

/** An issuance by a batch (its items are caused by the batch command) or by an import is not one "by one". */
function issuedOneByOne(event: RecordedLedgerEvent & { type: 'CertificateIssued' }): boolean {
  const { causationId, commandId } = event.metadata ?? {};
  return event.data.importRun === undefined && (causationId === undefined || causationId === null || causationId === commandId);
}

function reads(recorded: RecordedEvent): RowRef[] {
  const event = asFoldedEvent(recorded, EVENT_TYPES);
  switch (event.type) {
    case 'EvaluationRecorded': {
      const processId = text(event.data.processId);
      const evaluatorId = text(event.data.evaluatorId);
      const day = businessDayOf(event.data.evaluatedAt);
      const digest = text(event.data.evidenceDigest);
      return [
        ...(processId ? [ref(PROCESSES, { process_id: processId })] : []),
        ...(evaluatorId && day ? [ref(EVALUATOR_DAYS, { evaluator_id: evaluatorId, day })] : []),
        ...(evaluatorId ? [ref(EVALUATORS, { evaluator_id: evaluatorId })] : []),
        ...(digest ? [ref(EVIDENCE, { digest })] : []),
      ];
    }
    case 'CertificateIssued': {
      const processId = text(event.data.processId);
      const providerId = text(event.data.providerId);
      const day = businessDayOf(event.data.issuedAt);
      return [
        ...(processId ? [ref(PROCESSES, { process_id: processId })] : []),
        ...(providerId && day && issuedOneByOne(event) ? [ref(PROVIDER_DAYS, { provider_id: providerId, day }), ref(PROVIDERS, { provider_id: providerId })] : []),
      ];
    }
    default:
      return [];
  }
}

function fold(thresholds: FindingThresholds, rows: RowReader, recorded: RecordedEvent): RowChange[] {
  const event = asFoldedEvent(recorded, EVENT_TYPES);
  switch (event.type) {
    case 'CandidateEnrolled': {
      const processId = text(event.data.processId);
      if (!processId) return [];
      return [
        put(PROCESSES, {
          process_id: processId,
          subject_id: text(event.data.subjectId) ?? null,
          state: text(event.data.jurisdiction?.state) ?? null,
          provider_id: text(event.data.providerId) ?? null,
          enrolled_at: text(event.data.enrolledAt) ?? null,
          enrolled_position: positionOf(event),
        }),
      ];
    }
    case 'EvaluationRecorded':
      return judged(thresholds, rows, event);
    case 'CertificateIssued':
      return issued(thresholds, rows, event);
    default:
      return unexpectedEvent('findings', event);
  }
}

// ── Counters ─────────────────────────────────────────────────────────────────

interface Counter {
  count: number;
  positions: string[];
  states: string[];
  /** The position of the event that raised its finding; null while none is raised. */
  raisedPosition: string | null;
}

function counterOf(row: Row | undefined): Counter {
  return {
    count: typeof row?.count === 'number' ? row.count : 0,
    positions: Array.isArray(row?.positions) ? (row.positions as string[]) : [],
    states: Array.isArray(row?.states) ? (row.states as string[]) : [],
    raisedPosition: row?.raised === true ? ((row.raised_position as string | null | undefined) ?? null) : null,
  };
}

/** One more event: counted, its state noted, its position kept while no finding has taken the positions over. */
function tally(counter: Counter, position: string, state: string | undefined): Counter {
  return {
    count: counter.count + 1,
    positions: counter.raisedPosition !== null || counter.positions.length >= MAX_POSITIONS_KEPT ? counter.positions : [...counter.positions, position],
    states: state === undefined || counter.states.includes(state) ? counter.states : [...counter.states, state].sort(),
    raisedPosition: counter.raisedPosition,
  };
}

interface FindingFacts {
  kind: FindingKind;
  findingId: string;
  severity: FindingSeverity;
  subjectType: 'certificate' | 'evaluator' | 'evidence' | 'provider';
  subjectId: string;
  providerId: string | null;
  evaluatorId: string | null;
  occurredOn: string | null;
  summary: string;
  details: Record<string, unknown>;
  states: string[];
  eventCount: number;
}

function findingRow(facts: FindingFacts, raisedPosition: string, position: string): Row {
  return {
    finding_id: facts.findingId,
    kind: facts.kind,
    severity: facts.severity,
    subject_type: facts.subjectType,
    subject_id: facts.subjectId,
    provider_id: facts.providerId,
    evaluator_id: facts.evaluatorId,
    occurred_on: facts.occurredOn,
    summary: facts.summary,
    details: facts.details,
    states: facts.states,
    event_count: facts.eventCount,
    raised_position: raisedPosition,
    position,
  };
}

/** A finding raised by the event at `position`, with the events that show it. */
function raise(facts: FindingFacts, positions: readonly string[], position: string): RowChange[] {
  return [
    put(findingsTable.name, findingRow(facts, position, position)),
    ...positions.map((kept) => append(findingEventsTable.name, { finding_id: facts.findingId, position: kept })),
  ];
}

/**
 * A counted event's effect on its finding: raised now (with every position
 * kept so far), grown (this event added), or nothing yet. Returns the
 * changes and the counter to store.
 */
function raiseOrGrow(counter: Counter, position: string, shouldRaise: boolean, facts: () => FindingFacts): { changes: RowChange[]; counter: Counter } {
  if (counter.raisedPosition !== null) {
    const finding = facts();
    return {
      changes: [put(findingsTable.name, findingRow(finding, counter.raisedPosition, position)), append(findingEventsTable.name, { finding_id: finding.findingId, position })],
      counter,
    };
  }
  if (!shouldRaise) return { changes: [], counter };
  return { changes: raise(facts(), counter.positions, position), counter: { ...counter, positions: [], raisedPosition: position } };
}

// ── Judgments ────────────────────────────────────────────────────────────────

function judged(thresholds: FindingThresholds, rows: RowReader, event: RecordedLedgerEvent & { type: 'EvaluationRecorded' }): RowChange[] {
  const position = positionOf(event);
  const processId = text(event.data.processId);
  const process = processId ? rows.get(PROCESSES, { process_id: processId }) : undefined;
  const state = text(process?.state);
  const providerId = text(process?.provider_id) ?? null;
  const subjectId = text(process?.subject_id);
  const evaluatorId = text(event.data.evaluatorId);
  const day = businessDayOf(event.data.evaluatedAt);
  const digest = text(event.data.evidenceDigest);
  const changes: RowChange[] = [];
  if (process && event.data.result === 'competent') changes.push(put(PROCESSES, { ...process, judged_position: position } as Row));
  // An archive holds the judgments that led to a certificate, not the evaluator's days or the candidates it turned
  // down: imported judgments count towards neither an evaluator's day nor its streak of "competent".
  const imported = event.data.importRun !== undefined;
  if (evaluatorId && day && !imported) changes.push(...evaluatorDay(thresholds, rows, { evaluatorId, day, providerId, state, position }));
  if (evaluatorId && !imported) changes.push(...evaluatorStreak(thresholds, rows, { evaluatorId, providerId, state, position, competent: event.data.result === 'competent' }));
  if (digest) changes.push(...sharedEvidence(thresholds, rows, { digest, subjectId, evaluatorId, providerId, day, state, position }));
  return changes;
}

function evaluatorDay(
  thresholds: FindingThresholds,
  rows: RowReader,
  at: { evaluatorId: string; day: string; providerId: string | null; state: string | undefined; position: string },
): RowChange[] {
  const key = { evaluator_id: at.evaluatorId, day: at.day };
  const stored = rows.get(EVALUATOR_DAYS, key);
  const counter = tally(counterOf(stored), at.position, at.state);
  const limit = thresholds.maxJudgmentsPerDay;
  const providerId = text(stored?.provider_id) ?? at.providerId;
  const outcome = raiseOrGrow(counter, at.position, counter.count > limit, () => ({
    kind: 'evaluator_daily_volume',
    findingId: findingIdOf('evaluator_daily_volume', at.evaluatorId, at.day),
    severity: counter.count > 2 * limit ? 'high' : 'medium',
    subjectType: 'evaluator',
    subjectId: at.evaluatorId,
    providerId,
    evaluatorId: at.evaluatorId,
    occurredOn: at.day,
    summary: `Evaluator ${at.evaluatorId} recorded ${counter.count} judgments on ${at.day} (Mexico City time), more than the ${limit} an evaluator can do in one business day.`,
    details: { judgments: counter.count, threshold: limit },
    states: counter.states,
    eventCount: counter.count,
  }));
  return [...outcome.changes, put(EVALUATOR_DAYS, { ...key, provider_id: providerId, ...counterColumns(outcome.counter) })];
}

function evaluatorStreak(
  thresholds: FindingThresholds,
  rows: RowReader,
  at: { evaluatorId: string; providerId: string | null; state: string | undefined; position: string; competent: boolean },
): RowChange[] {
  const key = { evaluator_id: at.evaluatorId };
  const stored = rows.get(EVALUATORS, key);
  const notYetCompetent = (typeof stored?.not_yet_competent === 'number' ? stored.not_yet_competent : 0) + (at.competent ? 0 : 1);
  const before = counterOf(stored);
  // Positions are kept only while the streak can still become a finding: no "not yet competent", not yet raised.
  const counted = tally(before, at.position, at.state);
  const counter = notYetCompetent > 0 && before.raisedPosition === null ? { ...counted, positions: [] } : counted;
  const limit = thresholds.allCompetentAfter;
  const providerId = text(stored?.provider_id) ?? at.providerId;
  const columns = { ...key, provider_id: providerId, not_yet_competent: notYetCompetent };
  // Raised once, when the limit is reached with every judgment competent; it describes that streak and does not grow.
  if (before.raisedPosition !== null || notYetCompetent > 0 || counter.count !== limit) return [put(EVALUATORS, { ...columns, ...counterColumns(counter) })];
  return [
    ...raise(
      {
        kind: 'evaluator_never_not_yet_competent',
        findingId: findingIdOf('evaluator_never_not_yet_competent', at.evaluatorId),
        severity: 'medium',
        subjectType: 'evaluator',
        subjectId: at.evaluatorId,
        providerId,
        evaluatorId: at.evaluatorId,
        occurredOn: null,
        summary: `Evaluator ${at.evaluatorId} judged the first ${limit} candidates all competent, none "not yet competent".`,
        details: { judgments: limit, notYetCompetent: 0, threshold: limit },
        states: counter.states,
        eventCount: counter.positions.length,
      },
      counter.positions,
      at.position,
    ),
    put(EVALUATORS, { ...columns, ...counterColumns({ ...counter, positions: [], raisedPosition: at.position }) }),
  ];
}

function sharedEvidence(
  thresholds: FindingThresholds,
  rows: RowReader,
  at: { digest: string; subjectId: string | undefined; evaluatorId: string | undefined; providerId: string | null; day: string | undefined; state: string | undefined; position: string },
): RowChange[] {
  const key = { digest: at.digest };
  const stored = rows.get(EVIDENCE, key);
  const known = Array.isArray(stored?.subjects) ? (stored.subjects as string[]) : [];
  const subjects = at.subjectId === undefined || known.includes(at.subjectId) || known.length >= MAX_POSITIONS_KEPT ? known : [...known, at.subjectId];
  const counter = tally(counterOf(stored), at.position, at.state);
  const limit = thresholds.sharedEvidenceCandidates;
  const firstOn = text(stored?.first_on) ?? at.day ?? null;
  const evaluatorId = text(stored?.evaluator_id) ?? at.evaluatorId ?? null;
  const providerId = text(stored?.provider_id) ?? at.providerId;
  const outcome = raiseOrGrow(counter, at.position, subjects.length >= limit, () => ({
    kind: 'shared_evidence_digest',
    findingId: findingIdOf('shared_evidence_digest', at.digest),
    severity: 'high',
    subjectType: 'evidence',
    subjectId: at.digest,
    providerId,
    evaluatorId,
    occurredOn: firstOn,
    summary: `The evidence digest ${at.digest.slice(0, 19)}… was filed for ${subjects.length} different candidates (${counter.count} judgments): one portfolio cannot be the evidence of several people.`,
    details: { candidates: subjects.length, judgments: counter.count, threshold: limit, digest: at.digest },
    states: counter.states,
    eventCount: counter.count,
  }));
  return [...outcome.changes, put(EVIDENCE, { ...key, subjects, evaluator_id: evaluatorId, provider_id: providerId, first_on: firstOn, ...counterColumns(outcome.counter) })];
}

// ── Issuances ────────────────────────────────────────────────────────────────

function issued(thresholds: FindingThresholds, rows: RowReader, event: RecordedLedgerEvent & { type: 'CertificateIssued' }): RowChange[] {
  const position = positionOf(event);
  const processId = text(event.data.processId);
  const process = processId ? rows.get(PROCESSES, { process_id: processId }) : undefined;
  const state = text(process?.state);
  const changes: RowChange[] = [...issuedSoon(thresholds, event, process, position)];
  const providerId = text(event.data.providerId);
  const day = businessDayOf(event.data.issuedAt);
  if (providerId && day && issuedOneByOne(event)) changes.push(...providerVolume(thresholds, rows, { providerId, day, state, position }));
  return changes;
}

function issuedSoon(thresholds: FindingThresholds, event: RecordedLedgerEvent & { type: 'CertificateIssued' }, process: Row | undefined, position: string): RowChange[] {
  const folio = text(event.data.folio);
  const enrolledAt = text(process?.enrolled_at);
  const issuedAt = text(event.data.issuedAt);
  if (!folio || !enrolledAt || !issuedAt) return [];
  const gap = Date.parse(issuedAt) - Date.parse(enrolledAt);
  const limit = thresholds.minDaysToCertificate;
  if (!Number.isFinite(gap) || gap >= limit * DAY_MS) return [];
  const hours = Math.round((gap / 3_600_000) * 10) / 10;
  const positions = [process?.enrolled_position, process?.judged_position, position].filter((kept): kept is string => typeof kept === 'string');
  const state = text(process?.state);
  return raise(
    {
      kind: 'issued_soon_after_enrollment',
      findingId: findingIdOf('issued_soon_after_enrollment', folio),
      severity: gap < DAY_MS ? 'high' : 'medium',
      subjectType: 'certificate',
      subjectId: folio,
      providerId: text(event.data.providerId) ?? null,
      evaluatorId: text(event.data.evaluatorId) ?? null,
      occurredOn: businessDayOf(issuedAt) ?? null,
      summary: `Certificate ${folio} was issued ${hours} hours after its enrollment, less than the ${limit} days an evaluation and its issuance take.`,
      details: { hoursAfterEnrollment: hours, thresholdDays: limit, folio },
      states: state ? [state] : [],
      eventCount: positions.length,
    },
    positions,
    position,
  );
}

function providerVolume(
  thresholds: FindingThresholds,
  rows: RowReader,
  at: { providerId: string; day: string; state: string | undefined; position: string },
): RowChange[] {
  const dayKey = { provider_id: at.providerId, day: at.day };
  const stored = rows.get(PROVIDER_DAYS, dayKey);
  const volume = rows.get(PROVIDERS, { provider_id: at.providerId });
  const before = counterOf(stored);
  const counter = tally(before, at.position, at.state);
  const total = (typeof volume?.total === 'number' ? volume.total : 0) + 1;
  const days = (typeof volume?.days === 'number' ? volume.days : 0) + (before.count === 0 ? 1 : 0);
  // The usual: one-by-one issuances per day on the provider's other days with any.
  const usual = days > 1 ? (total - counter.count) / (days - 1) : 0;
  const limit = Math.max(thresholds.singleIssuanceFloor, thresholds.singleIssuanceFactor * usual);
  const usualText = Math.round(usual * 10) / 10;
  const outcome = raiseOrGrow(counter, at.position, counter.count > limit, () => ({
    kind: 'provider_volume_outside_batch',
    findingId: findingIdOf('provider_volume_outside_batch', at.providerId, at.day),
    severity: counter.count > 2 * limit ? 'high' : 'medium',
    subjectType: 'provider',
    subjectId: at.providerId,
    providerId: at.providerId,
    evaluatorId: null,
    occurredOn: at.day,
    summary: `Provider ${at.providerId} issued ${counter.count} certificates one by one on ${at.day}, outside any batch; its usual is ${usualText} a day.`,
    details: { issued: counter.count, usualPerDay: usualText, threshold: Math.round(limit * 10) / 10 },
    states: counter.states,
    eventCount: counter.count,
  }));
  return [
    ...outcome.changes,
    put(PROVIDER_DAYS, { ...dayKey, ...counterColumns(outcome.counter) }),
    put(PROVIDERS, { provider_id: at.providerId, total, days }),
  ];
}

function counterColumns(counter: Counter): Row {
  return { count: counter.count, positions: counter.positions, states: counter.states, raised: counter.raisedPosition !== null, raised_position: counter.raisedPosition };
}
