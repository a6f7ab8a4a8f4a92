import { Folio, FOLIO_ALPHABET, type Employment } from '@ledger/domain';
import { schemaVersionOf, type ActorRef, type LedgerEventType, type NewEvent } from '@ledger/event-store';
import { seededRandom } from '@ledger/platform';

/**
 * A deterministic, plausible ledger written straight as events (no command
 * handlers), for projection tests and the rebuild benchmark. People are
 * enrolled in waves: a wave's enrollments, trainings, evaluations and
 * ceremonies interleave with other waves' revocations and rectifications, so
 * batches cut through processes at every step. CURPs are fake but shaped like
 * real ones, so tests can look for them in the read models.
 */
export interface SyntheticLedgerOptions {
  readonly people: number;
  readonly seed?: number;
  readonly waveSize?: number;
  /** Write standards, providers and evaluators first (default); off for a second ledger on the same log. */
  readonly registry?: boolean;
}

export interface StreamAppend {
  readonly streamId: string;
  readonly events: NewEvent[];
}

const STANDARDS = [
  { code: 'EC0105', version: '01', title: 'Atención al ciudadano en el sector público', validityYears: 5 },
  { code: 'EC0217', version: '01', title: 'Impartición de cursos de formación del capital humano de manera presencial grupal', validityYears: 3 },
  { code: 'EC0301', version: '01', title: 'Diseño de cursos de formación del capital humano de manera presencial grupal', validityYears: 3 },
  { code: 'EC0076', version: '01', title: 'Evaluación de la competencia de candidatos con base en Estándares de Competencia', validityYears: 4 },
] as const;
const STATES = [
  { state: 'BC', municipalities: ['Tijuana', 'Mexicali', 'Ensenada', undefined] },
  { state: 'QR', municipalities: ['Benito Juárez', 'Othón P. Blanco', undefined] },
  { state: 'CMX', municipalities: [undefined] },
  { state: 'JC', municipalities: ['Guadalajara', 'Zapopan'] },
] as const;
const AGENCIES = ['Secretaría de Hacienda', 'Secretaría de Salud', 'DIF Municipal', 'Contraloría', 'Oficialía Mayor', 'Seguridad Pública'];
const EMPLOYMENTS: readonly Employment[] = ['base', 'base', 'confianza', 'honorarios', 'other'];
const GIVEN = ['María', 'José', 'Guadalupe', 'Juan', 'Ana', 'Luis', 'Sofía', 'Carlos', 'Fernanda', 'Jesús'];
const SURNAMES = ['Hernández', 'García', 'Martínez', 'López', 'González', 'Pérez', 'Rodríguez', 'Sánchez', 'Ramírez', 'Núñez'];
const PROVIDERS = 12;
const EVALUATORS_PER_PROVIDER = 4;
const BASE_DAY = Date.UTC(2018, 0, 8);
const SPAN_DAYS = 6 * 365;
const DAY = 86_400_000;

interface Enrolled {
  processId: string;
  subjectId: string;
  standard: (typeof STANDARDS)[number];
  providerId: string;
  centreId: string;
  evaluatorId: string;
  folio?: string;
}

export class SyntheticLedger {
  private readonly rng: () => number;
  private sequence = 0;
  private readonly issued: Enrolled[] = [];
  private readonly revoked = new Set<string>();
  private readonly registeredSubjects: string[] = [];
  /** Every CURP written, so tests can prove none reached a read model. */
  readonly curps: string[] = [];

  constructor(private readonly options: SyntheticLedgerOptions) {
    this.rng = seededRandom(options.seed ?? 2018);
  }

  *appends(): Generator<StreamAppend> {
    if (this.options.registry !== false) yield* this.registry();
    const waveSize = this.options.waveSize ?? 400;
    const waves = Math.max(1, Math.ceil(this.options.people / waveSize));
    for (let wave = 0; wave < waves; wave += 1) {
      const people = Math.min(waveSize, this.options.people - wave * waveSize);
      yield* this.wave(wave, people, BASE_DAY + Math.floor((wave * SPAN_DAYS) / waves) * DAY);
    }
  }

  private *registry(): Generator<StreamAppend> {
    const authority: ActorRef = { id: 'conocer-registro', role: 'authority', organizationId: 'CONOCER' };
    const at = instant(BASE_DAY - 30 * DAY, 9);
    for (const standard of STANDARDS) {
      yield this.append(`standard-${standard.code}`, authority, at, [
        { type: 'StandardRegistered', data: { code: standard.code, version: standard.version, title: standard.title, validityYears: standard.validityYears, registeredAt: at } },
      ]);
    }
    for (let p = 0; p < PROVIDERS; p += 1) {
      const providerId = providerIdOf(p);
      yield this.append(`provider-${providerId}`, authority, at, [
        {
          type: 'ProviderAccredited',
          data: {
            providerId, kind: 'ECE', name: `Entidad de Certificación ${p + 1}`, accreditationCode: providerId,
            standards: STANDARDS.map((s) => s.code), validFrom: '2017-01-01', validUntil: '2030-12-31', accreditedAt: at,
          },
        },
      ]);
      for (let e = 0; e < EVALUATORS_PER_PROVIDER; e += 1) yield* this.evaluator(providerId, evaluatorIdOf(p, e), at);
    }
  }

  private *evaluator(providerId: string, evaluatorId: string, at: string): Generator<StreamAppend> {
    const certifier: ActorRef = { id: `certifier-${providerId}`, role: 'certifier', organizationId: providerId };
    const subjectId = this.subjectId();
    yield this.append(`person-${subjectId}`, certifier, at, [this.personRegistered(subjectId, at)]);
    yield this.append(`evaluator-${evaluatorId}`, certifier, at, [
      {
        type: 'EvaluatorAccredited',
        data: {
          evaluatorId, subjectId, providerId, standards: STANDARDS.map((s) => s.code),
          credentialFolio: `CED-${evaluatorId}`, validFrom: at.slice(0, 10), validUntil: '2030-12-31', accreditedAt: at,
        },
      },
    ]);
  }

  private *wave(wave: number, people: number, day: number): Generator<StreamAppend> {
    const enrolled = Array.from({ length: people }, () => this.newProcess());
    for (const process of enrolled) yield* this.enroll(process, instant(day, 9));
    for (const process of enrolled.filter(() => this.rng() < 0.5)) yield this.training(process, instant(day + DAY, 12));
    const competent: Enrolled[] = [];
    for (const process of enrolled) {
      const judged = [...this.evaluations(process, instant(day + 2 * DAY, 11))];
      yield* judged;
      if (judged.length > 0 && this.rng() < 0.93) competent.push(process);
    }
    for (const process of competent) yield* this.issue(process, instant(day + 3 * DAY, 10));
    yield* this.later(wave, instant(day + 3 * DAY, 16));
  }

  private newProcess(): Enrolled {
    const p = Math.floor(this.rng() * PROVIDERS);
    const providerId = providerIdOf(p);
    return {
      processId: `p-${(this.sequence + 1).toString(36)}-${Math.floor(this.rng() * 1e9).toString(36)}`,
      subjectId: this.subjectId(),
      standard: STANDARDS[Math.floor(this.rng() * 3)],
      providerId,
      centreId: `CE-${p}-${Math.floor(this.rng() * 3)}`,
      evaluatorId: evaluatorIdOf(p, Math.floor(this.rng() * EVALUATORS_PER_PROVIDER)),
    };
  }

  private *enroll(process: Enrolled, at: string): Generator<StreamAppend> {
    const registrar: ActorRef = { id: `registrar-${process.centreId}`, role: 'registrar', organizationId: process.centreId };
    const place = STATES[Math.floor(this.rng() * STATES.length)];
    const municipality = place.municipalities[Math.floor(this.rng() * place.municipalities.length)];
    yield this.append(`person-${process.subjectId}`, registrar, at, [
      this.personRegistered(process.subjectId, at),
      { type: 'EnrollmentOpened', data: { subjectId: process.subjectId, processId: process.processId, standardCode: process.standard.code, openedAt: at } },
    ]);
    yield this.append(`certification-${process.processId}`, registrar, at, [
      {
        type: 'CandidateEnrolled',
        data: {
          processId: process.processId, subjectId: process.subjectId, standardCode: process.standard.code,
          standardVersion: process.standard.version, validityYears: process.standard.validityYears,
          providerId: process.providerId, centreId: process.centreId,
          agency: AGENCIES[Math.floor(this.rng() * AGENCIES.length)],
          jurisdiction: municipality === undefined ? { state: place.state } : { state: place.state, municipality },
          employment: EMPLOYMENTS[Math.floor(this.rng() * EMPLOYMENTS.length)],
          enrolledAt: at,
        },
      },
    ]);
  }

  private training(process: Enrolled, at: string): StreamAppend {
    const registrar: ActorRef = { id: `registrar-${process.centreId}`, role: 'registrar', organizationId: process.centreId };
    return this.append(`certification-${process.processId}`, registrar, at, [
      { type: 'TrainingRecorded', data: { processId: process.processId, trainerId: `trainer-${process.centreId}`, hours: 8 + Math.floor(this.rng() * 32), completedAt: at } },
    ]);
  }

  /** Most candidates are judged competent at once; some first "not yet", a few never evaluated. */
  private *evaluations(process: Enrolled, at: string): Generator<StreamAppend> {
    if (this.rng() < 0.03) return;
    const evaluator: ActorRef = { id: process.evaluatorId, role: 'evaluator', organizationId: process.providerId };
    const results = this.rng() < 0.15 ? (['not_yet_competent', 'competent'] as const) : (['competent'] as const);
    for (const result of results) {
      yield this.append(`certification-${process.processId}`, evaluator, at, [
        {
          type: 'EvaluationRecorded',
          data: {
            processId: process.processId, evaluatorId: process.evaluatorId, result, evaluatedAt: at,
            evidenceDigest: `sha256:${hex(this.rng, 64)}`, credentialFolio: `CED-${process.evaluatorId}`,
          },
        },
      ]);
    }
  }

  private *issue(process: Enrolled, at: string): Generator<StreamAppend> {
    const certifier: ActorRef = { id: `certifier-${process.providerId}`, role: 'certifier', organizationId: process.providerId };
    const folio = Folio.fromBody(Array.from({ length: 12 }, () => FOLIO_ALPHABET[Math.floor(this.rng() * 32)]).join('')).value;
    process.folio = folio;
    const validUntil = addYears(at, process.standard.validityYears);
    yield this.append(`folio-${folio}`, certifier, at, [{ type: 'FolioAssigned', data: { folio, processId: process.processId, assignedAt: at } }]);
    yield this.append(`certification-${process.processId}`, certifier, at, [
      {
        type: 'CertificateIssued',
        data: {
          processId: process.processId, folio, subjectId: process.subjectId, standardCode: process.standard.code,
          providerId: process.providerId, evaluatorId: process.evaluatorId, issuedAt: at, validUntil,
        },
      },
    ]);
    this.issued.push(process);
  }

  /** Revocations and rectifications of earlier waves, and now and then an evaluator losing a credential. */
  private *later(wave: number, at: string): Generator<StreamAppend> {
    const revocations = Math.floor(this.issued.length * 0.03) - this.revoked.size;
    for (let i = 0; i < revocations; i += 1) {
      const process = this.issued[Math.floor(this.rng() * this.issued.length)];
      if (!process.folio || this.revoked.has(process.folio)) continue;
      this.revoked.add(process.folio);
      const authority: ActorRef = { id: 'contraloria-1', role: 'authority', organizationId: 'CONOCER' };
      yield this.append(`certification-${process.processId}`, authority, at, [
        { type: 'CertificateRevoked', data: { processId: process.processId, folio: process.folio, reason: 'Evidencia apócrifa', revokedAt: at } },
      ]);
    }
    for (let i = 0; i < 3 && this.registeredSubjects.length > 0; i += 1) {
      const subjectId = this.registeredSubjects[Math.floor(this.rng() * this.registeredSubjects.length)];
      const registrar: ActorRef = { id: 'registrar-arco', role: 'registrar', organizationId: 'CE-0-0' };
      yield this.append(`person-${subjectId}`, registrar, at, [
        { type: 'PersonalDataRectified', data: { subjectId, fullName: this.fullName(), rectifiedAt: at } },
      ]);
    }
    if (wave % 25 === 24) {
      const p = wave % PROVIDERS;
      const certifier: ActorRef = { id: `certifier-${providerIdOf(p)}`, role: 'certifier', organizationId: providerIdOf(p) };
      yield this.append(`evaluator-${evaluatorIdOf(p, 3)}`, certifier, at, [
        { type: 'EvaluatorAccreditationRevoked', data: { evaluatorId: evaluatorIdOf(p, 3), standardCode: 'EC0301', providerId: providerIdOf(p), reason: 'Conflicto de interés', revokedAt: at } },
      ]);
    }
  }

  private personRegistered(subjectId: string, at: string): { type: string; data: unknown } {
    const curp = fakeCurp(this.rng);
    this.curps.push(curp);
    this.registeredSubjects.push(subjectId);
    return { type: 'PersonRegistered', data: { subjectId, curp, fullName: this.fullName(), registeredAt: at } };
  }

  private fullName(): string {
    const pick = (list: readonly string[]) => list[Math.floor(this.rng() * list.length)];
    return `${pick(GIVEN)} ${pick(SURNAMES)} ${pick(SURNAMES)}`;
  }

  private subjectId(): string {
    return hex(this.rng, 64);
  }

  private append(streamId: string, actor: ActorRef, occurredAt: string, events: { type: string; data: unknown }[]): StreamAppend {
    const recordedAt = new Date(Date.parse(occurredAt) + 90_000).toISOString();
    const commandId = this.uuid();
    return {
      streamId,
      events: events.map((event) => ({
        id: this.uuid(),
        type: event.type,
        data: event.data,
        metadata: { actor, commandId, correlationId: commandId, causationId: commandId, occurredAt, recordedAt, schemaVersion: schemaVersionOf(event.type as LedgerEventType) },
      })),
    };
  }

  /** Deterministic ids: the same seed writes the same log, another seed other ids. */
  private uuid(): string {
    this.sequence += 1;
    const seed = ((this.options.seed ?? 2018) & 0xffff).toString(16).padStart(4, '0');
    return `5eed${seed}-0000-4000-8000-${this.sequence.toString(16).padStart(12, '0')}`;
  }
}

function providerIdOf(index: number): string {
  return `ECE${100 + index}-18`;
}

function evaluatorIdOf(provider: number, index: number): string {
  return `ev-${provider}-${index}`;
}

function instant(day: number, hour: number): string {
  return new Date(day + hour * 3_600_000).toISOString();
}

function addYears(at: string, years: number): string {
  const date = new Date(at);
  date.setUTCFullYear(date.getUTCFullYear() + years);
  return date.toISOString();
}

function hex(rng: () => number, length: number): string {
  let out = '';
  while (out.length < length) out += Math.floor(rng() * 0x100000000).toString(16).padStart(8, '0');
  return out.slice(0, length);
}

/** Shaped like a CURP (4 letters, birth date, sex, state, 3 consonants, 2 characters); not a valid one. */
function fakeCurp(rng: () => number): string {
  const letters = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';
  const consonants = 'BCDFGHJKLMNPQRSTVWXZ';
  const pick = (alphabet: string) => alphabet[Math.floor(rng() * alphabet.length)];
  const two = (n: number) => String(n).padStart(2, '0');
  const date = `${two(60 + Math.floor(rng() * 40))}${two(1 + Math.floor(rng() * 12))}${two(1 + Math.floor(rng() * 28))}`;
  return `${pick(letters)}${pick('AEIOU')}${pick(letters)}${pick(letters)}${date}${pick('HM')}BC${pick(consonants)}${pick(consonants)}${pick(consonants)}0${Math.floor(rng() * 10)}`;
}
