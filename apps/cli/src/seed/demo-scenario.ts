import { buildCurp } from '@ledger/domain';
import { createHash } from 'node:crypto';
import { seededRandom } from '@ledger/platform';
import {
  BAJA_CALIFORNIA_STATE_AGENCIES,
  BENITO_JUAREZ_AGENCIES,
  BIRTH_STATES,
  FEMALE_GIVEN_NAMES,
  OTHON_P_BLANCO_AGENCIES,
  MALE_GIVEN_NAMES,
  OTHER_AGENCIES,
  SURNAMES,
  TIJUANA_AGENCIES,
} from './demo-names';

/**
 * The demo dataset, written through the ledger's command API so that every
 * rule is enforced exactly as for real clients. It follows the public figures
 * in the domain notes: a 2,000-certificate EC0105 ceremony of the Baja
 * California government (13 Nov 2018), Tijuana's delivery of 179 (114 of them
 * base workers) out of 410 certified that year, 39 staff of 23 Benito Juárez
 * agencies certified through CECATI 149, plus recent EC0217 programs, judgments
 * of "not yet competent", re-certification after expiry and revocations; the
 * two programs of the news (Baja California's half of its workforce,
 * Tijuana's 600 by the end of 2018); and, so that the audit findings have
 * something to show, the work of one fictitious certification body in
 * Quintana Roo in 2019 with the irregularities comptrollers look for. Every
 * ordinary evaluator judges at most six candidates a business day.
 */

export type SeedRole = 'authority' | 'certifier' | 'registrar' | 'evaluator';
export interface SeedActor {
  role: SeedRole;
  org: string;
  sub: string;
}

/** Sends one command to the ledger; resolves with the response body or throws with the problem. */
export interface SeedClient {
  post<T = Record<string, unknown>>(as: SeedActor, path: string, body: unknown): Promise<T>;
}

export interface SeedOptions {
  /** Total public servants enrolled; the Baja California ceremony takes what the fixed programs don't. */
  people: number;
  /** Commands in flight at once. */
  concurrency: number;
  onProgress?: (done: number, total: number) => void;
}

export interface SeedSummary {
  standards: number;
  programs: number;
  providers: number;
  evaluators: number;
  enrollments: number;
  certificates: number;
  notYetCompetent: number;
  revocations: number;
}

/** The irregular provider's work: 110 certified by one evaluator in 2019, and 2 certified the day they enrolled. */
const IRREGULAR_PEOPLE = 110 + 2;
/**
 * Fixed programs: Tijuana 410 (179 in the September delivery), Benito Juárez 39, re-certification 40 (people already
 * counted), recent EC0217 60, and the irregular provider's.
 */
const FIXED_PEOPLE = 410 + 39 + 60 + IRREGULAR_PEOPLE;
/** Judgments an ordinary evaluator records in a business day, at most: an EC0105 evaluation takes about an hour. */
const JUDGMENTS_PER_DAY = 6;
/** Business days the ceremony's evaluations may take, between the last enrollment and the ceremony. */
const CEREMONY_EVALUATION_DAYS = 45;
export const DEFAULT_DEMO_PEOPLE = 2_000 + FIXED_PEOPLE;

const AUTHORITY: SeedActor = { role: 'authority', org: 'CONOCER', sub: 'conocer-registro' };

interface Person {
  curp: string;
  fullName: string;
}
interface Enrolled {
  processId: string;
  person: Person;
}

export class DemoScenario {
  private readonly rnd = seededRandom(20181113);
  private readonly usedCurps = new Set<string>();
  private readonly summary: SeedSummary = {
    standards: 0, programs: 0, providers: 0, evaluators: 0, enrollments: 0, certificates: 0, notYetCompetent: 0, revocations: 0,
  };
  private done = 0;
  private total = 0;

  constructor(private readonly client: SeedClient, private readonly options: SeedOptions) {}

  async run(): Promise<SeedSummary> {
    const ceremony = Math.max(0, this.options.people - FIXED_PEOPLE);
    // Rough count of commands, for the progress bar: enroll, evaluate, issue per person.
    this.total = 30 + (ceremony + FIXED_PEOPLE) * 3;
    await this.registerStandards();
    await this.launchPrograms();
    await this.accreditProviders();
    await this.accreditEvaluators(ceremony);
    const ceremonyFolios = await this.bajaCaliforniaCeremony(ceremony);
    const tijuana = await this.tijuana();
    await this.benitoJuarez();
    await this.recertifyAfterExpiry(tijuana.slice(0, 40));
    await this.recentEc0217Program();
    await this.revoke(ceremonyFolios.slice(0, 3));
    await this.irregularProvider();
    return this.summary;
  }

  private pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.rnd() * items.length)];
  }

  private tick(): void {
    this.done += 1;
    this.options.onProgress?.(this.done, Math.max(this.total, this.done));
  }

  private async send<T = Record<string, unknown>>(as: SeedActor, path: string, body: unknown): Promise<T> {
    const result = await this.client.post<T>(as, path, body);
    this.tick();
    return result;
  }

  /** Runs `work` over `items` with at most `concurrency` in flight, keeping results in order. */
  private async inParallel<T, R>(items: readonly T[], work: (item: T, index: number) => Promise<R>): Promise<R[]> {
    const results = new Array<R>(items.length);
    let next = 0;
    const worker = async () => {
      while (next < items.length) {
        const index = next++;
        results[index] = await work(items[index], index);
      }
    };
    await Promise.all(Array.from({ length: Math.min(this.options.concurrency, items.length) }, worker));
    return results;
  }

  private newPerson(birthStates: readonly string[] = BIRTH_STATES): Person {
    for (;;) {
      const female = this.rnd() < 0.52;
      const given = this.pick(female ? FEMALE_GIVEN_NAMES : MALE_GIVEN_NAMES);
      const first = this.pick(SURNAMES);
      const second = this.pick(SURNAMES);
      const year = 1960 + Math.floor(this.rnd() * 40);
      const month = 1 + Math.floor(this.rnd() * 12);
      const day = 1 + Math.floor(this.rnd() * 28);
      const curp = buildCurp({
        givenName: given, firstSurname: first, secondSurname: second,
        birthDate: `${year}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`,
        sex: female ? 'M' : 'H', state: this.pick(birthStates), differentiator: String(Math.floor(this.rnd() * 10)),
      });
      if (this.usedCurps.has(curp)) continue;
      this.usedCurps.add(curp);
      return { curp, fullName: `${given} ${first} ${second}` };
    }
  }

  private async registerStandards(): Promise<void> {
    const standards = [
      { code: 'EC0105', version: '01', title: 'Atención al ciudadano en el sector público', validityYears: 5 },
      { code: 'EC0076', version: '01', title: 'Evaluación de la competencia de candidatos con base en Estándares de Competencia', validityYears: 5 },
      { code: 'EC0217', version: '01', title: 'Impartición de cursos de formación del capital humano de manera presencial grupal', validityYears: 3 },
      {
        code: 'EC0301', version: '01',
        title: 'Diseño de cursos de formación del capital humano de manera presencial grupal, sus instrumentos de evaluación y manuales del curso',
        validityYears: 3,
      },
    ];
    for (const standard of standards) {
      await this.send(AUTHORITY, '/v1/standards', standard);
      this.summary.standards += 1;
    }
  }

  /** The programs of the news, launched by the authority (their progress is counted from the certificates below). */
  private async launchPrograms(): Promise<void> {
    const programs = [
      {
        programId: 'bc-ec0105-2018',
        name: 'Certificación en EC0105 de la mitad de los servidores públicos de Baja California',
        jurisdiction: { state: 'BC' }, standards: ['EC0105'], startsOn: '2018-01-01', endsOn: '2018-12-31',
        // 8,135 certified were "about half" of the state's public servants.
        target: { share: 0.5, workforce: 16_270 },
      },
      {
        programId: 'tijuana-ec0105-2018',
        name: 'Certificación en EC0105 de servidores públicos del Ayuntamiento de Tijuana',
        jurisdiction: { state: 'BC', municipality: 'Tijuana' }, standards: ['EC0105'], startsOn: '2018-01-01', endsOn: '2018-12-31',
        target: { count: 600 },
      },
    ];
    for (const program of programs) {
      await this.send(AUTHORITY, '/v1/programs', program);
      this.summary.programs += 1;
    }
  }

  private async accreditProviders(): Promise<void> {
    const providers = [
      {
        providerId: 'ece-bc', kind: 'ECE', accreditationCode: 'ECE322-18',
        name: 'Entidad de Certificación y Evaluación del Gobierno del Estado de Baja California',
        standards: ['EC0105', 'EC0076', 'EC0217'], validFrom: '2018-01-15', validUntil: '2028-01-14',
      },
      {
        providerId: 'ece-dgcft', kind: 'ECE', accreditationCode: 'ECE004-12',
        name: 'Dirección General de Centros de Formación para el Trabajo',
        standards: ['EC0105', 'EC0217', 'EC0301'], validFrom: '2012-05-01', validUntil: '2030-04-30',
      },
      {
        providerId: 'oc-occidente', kind: 'OC', accreditationCode: 'OC089-19',
        name: 'Organismo Certificador de Competencias de Occidente, A.C.',
        standards: ['EC0105', 'EC0217', 'EC0301'], validFrom: '2019-03-01', validUntil: '2029-02-28',
      },
      {
        providerId: 'ce-oficialia-bc', kind: 'CE', accreditationCode: 'CE0611-ECE322-18', parentProviderId: 'ece-bc',
        name: 'Centro de Evaluación de la Oficialía Mayor de Gobierno de Baja California',
        standards: ['EC0105'], validFrom: '2018-02-01', validUntil: '2028-01-14',
      },
      {
        providerId: 'ce-tijuana', kind: 'CE', accreditationCode: 'CE0612-ECE322-18', parentProviderId: 'ece-bc',
        name: 'Unidad de Evaluación del Ayuntamiento de Tijuana',
        standards: ['EC0105'], validFrom: '2018-02-01', validUntil: '2028-01-14',
      },
      {
        providerId: 'ce-cecati-149', kind: 'CE', accreditationCode: 'CE0149-ECE004-12', parentProviderId: 'ece-dgcft',
        name: 'Centro de Capacitación para el Trabajo Industrial No. 149, Cancún',
        standards: ['EC0105', 'EC0217'], validFrom: '2015-01-01', validUntil: '2030-04-30',
      },
      {
        // Fictitious: the provider whose 2019 work shows the irregularities of the audit findings.
        providerId: 'oc-peninsular', kind: 'OC', accreditationCode: 'OC201-19',
        name: 'Organismo Certificador Peninsular, A.C. (ficticio)',
        standards: ['EC0105'], validFrom: '2019-01-15', validUntil: '2029-01-14',
      },
    ];
    for (const provider of providers) {
      await this.send(AUTHORITY, '/v1/providers', provider);
      this.summary.providers += 1;
    }
  }

  private readonly evaluatorsOf: Record<string, string[]> = {};

  private async accreditEvaluators(ceremony: number): Promise<void> {
    // Enough evaluators for the ceremony to be judged in its weeks at JUDGMENTS_PER_DAY each: 8 for 2,000.
    const ceremonyEvaluators = Math.max(8, Math.ceil(ceremony / (JUDGMENTS_PER_DAY * CEREMONY_EVALUATION_DAYS)));
    const plan: Array<[providerId: string, count: number, standards: string[]]> = [
      ['ece-bc', ceremonyEvaluators, ['EC0105']],
      ['ece-dgcft', 3, ['EC0105', 'EC0217']],
      ['oc-occidente', 3, ['EC0217', 'EC0301']],
      ['oc-peninsular', 1, ['EC0105']],
    ];
    for (const [providerId, count, standards] of plan) {
      this.evaluatorsOf[providerId] = [];
      for (let n = 1; n <= count; n++) {
        const evaluatorId = `ev-${providerId}-${String(n).padStart(2, '0')}`;
        const person = this.newPerson();
        await this.send(this.certifierOf(providerId), '/v1/evaluators', {
          evaluatorId, curp: person.curp, fullName: person.fullName, providerId, standards,
          credentialFolio: `CED-${providerId.toUpperCase()}-${String(n).padStart(4, '0')}`,
          // Their cédulas date from before the first ceremony the demo records (the fictitious provider's from its start).
          validFrom: providerId === 'oc-peninsular' ? '2019-02-01' : '2017-01-01',
          validUntil: '2029-12-31',
        });
        this.evaluatorsOf[providerId].push(evaluatorId);
        this.summary.evaluators += 1;
      }
    }
  }

  private certifierOf(providerId: string): SeedActor {
    return { role: 'certifier', org: providerId, sub: `certificacion-${providerId}` };
  }

  private registrarOf(centreId: string): SeedActor {
    return { role: 'registrar', org: centreId, sub: `registro-${centreId}` };
  }

  private async enroll(
    centreId: string,
    providerId: string,
    standardCode: string,
    work: (index: number) => { agency: string; jurisdiction: { state: string; municipality?: string }; employment: string; enrolledAt: string; person?: Person },
    count: number,
  ): Promise<Enrolled[]> {
    return this.inParallel(Array.from({ length: count }, (_, i) => i), async (index) => {
      const { person = this.newPerson(), ...rest } = work(index);
      const response = await this.send<{ processId: string }>(this.registrarOf(centreId), '/v1/enrollments', {
        curp: person.curp, fullName: person.fullName, standardCode, providerId, ...rest,
      });
      this.summary.enrollments += 1;
      return { processId: response.processId, person };
    });
  }

  /**
   * The provider's evaluators judge `enrolled` in turn from business day `from` on, each at most
   * JUDGMENTS_PER_DAY a day, at 17:00 UTC (late morning in Mexico).
   */
  private async evaluate(providerId: string, enrolled: readonly Enrolled[], from: string, result: 'competent' | 'not_yet_competent'): Promise<void> {
    const evaluators = this.evaluatorsOf[providerId];
    await this.inParallel(enrolled, async ({ processId }, index) => {
      const day = addBusinessDays(from, Math.floor(Math.floor(index / evaluators.length) / JUDGMENTS_PER_DAY));
      await this.judge(providerId, evaluators[index % evaluators.length], processId, `${day}T17:00:00.000Z`, result);
    });
  }

  private async judge(providerId: string, evaluatorId: string, processId: string, evaluatedAt: string, result: 'competent' | 'not_yet_competent', evidenceDigest?: string): Promise<void> {
    await this.send({ role: 'evaluator', org: providerId, sub: evaluatorId }, `/v1/enrollments/${processId}/evaluations`, {
      result, evaluatedAt,
      evidenceDigest: evidenceDigest ?? `sha256:${createHash('sha256').update(`portafolio:${processId}:${evaluatedAt}`).digest('hex')}`,
    });
    if (result === 'not_yet_competent') this.summary.notYetCompetent += 1;
  }

  /** Issues in batches of at most 5,000, as providers do at a delivery ceremony. */
  private async issue(providerId: string, enrolled: readonly Enrolled[], issuedAt: string): Promise<string[]> {
    const folios: string[] = [];
    for (let start = 0; start < enrolled.length; start += 5_000) {
      const processIds = enrolled.slice(start, start + 5_000).map((e) => e.processId);
      const { results } = await this.client.post<{ results: Array<{ status: string; folio?: string; error?: unknown }> }>(
        this.certifierOf(providerId), '/v1/certificate-batches', { processIds, issuedAt },
      );
      for (const result of results) {
        this.tick();
        if (!result.folio) throw new Error(`batch issuance failed: ${JSON.stringify(result)}`);
        folios.push(result.folio);
      }
    }
    this.summary.certificates += folios.length;
    return folios;
  }

  private async bajaCaliforniaCeremony(count: number): Promise<string[]> {
    const enrolled = await this.enroll('ce-oficialia-bc', 'ece-bc', 'EC0105', (i) => ({
      agency: this.pick(BAJA_CALIFORNIA_STATE_AGENCIES), jurisdiction: { state: 'BC' },
      employment: this.rnd() < 0.55 ? 'base' : this.rnd() < 0.8 ? 'confianza' : 'honorarios',
      enrolledAt: `2018-0${6 + (i % 3)}-${String(1 + (i % 28)).padStart(2, '0')}T16:00:00.000Z`,
    }), count);
    // About one in twenty is first judged not yet competent and passes on a second evaluation.
    // The last enrollment is on 28 August; first judgments from the next day, the ceremony's from 3 September.
    const retried = enrolled.filter((_, i) => i % 20 === 7);
    await this.evaluate('ece-bc', retried, '2018-08-29', 'not_yet_competent');
    await this.evaluate('ece-bc', enrolled, '2018-09-03', 'competent');
    return this.issue('ece-bc', enrolled, '2018-11-13T18:00:00.000Z');
  }

  /** 410 Tijuana public servants certified in 2018; the September delivery had 179, 114 of them base workers. */
  private async tijuana(): Promise<Enrolled[]> {
    const earlier = await this.enroll('ce-tijuana', 'ece-bc', 'EC0105', () => ({
      agency: this.pick(TIJUANA_AGENCIES), jurisdiction: { state: 'BC', municipality: 'Tijuana' },
      employment: this.rnd() < 0.5 ? 'base' : 'confianza', enrolledAt: '2018-03-05T16:00:00.000Z',
    }), 231);
    await this.evaluate('ece-bc', earlier, '2018-05-07', 'competent');
    await this.issue('ece-bc', earlier, '2018-06-20T18:00:00.000Z');
    const september = await this.enroll('ce-tijuana', 'ece-bc', 'EC0105', (i) => ({
      agency: this.pick(TIJUANA_AGENCIES), jurisdiction: { state: 'BC', municipality: 'Tijuana' },
      employment: i < 114 ? 'base' : 'confianza', enrolledAt: '2018-07-02T16:00:00.000Z',
    }), 179);
    await this.evaluate('ece-bc', september, '2018-08-13', 'competent');
    await this.issue('ece-bc', september, '2018-09-14T18:00:00.000Z');
    return [...earlier, ...september];
  }

  /** 39 collaborators of 23 agencies, trained and evaluated through CECATI 149. */
  private async benitoJuarez(): Promise<void> {
    const enrolled = await this.enroll('ce-cecati-149', 'ece-dgcft', 'EC0105', (i) => ({
      agency: BENITO_JUAREZ_AGENCIES[i % BENITO_JUAREZ_AGENCIES.length],
      jurisdiction: { state: 'QR', municipality: 'Benito Juárez' },
      employment: i % 3 === 0 ? 'confianza' : 'base', enrolledAt: '2019-02-11T15:00:00.000Z',
      person: this.newPerson(['QR', 'QR', 'YN', 'CC', 'TC', 'VZ']),
    }), 39);
    await this.inParallel(enrolled, async ({ processId }) => {
      await this.send(this.registrarOf('ce-cecati-149'), `/v1/enrollments/${processId}/trainings`, {
        trainerId: 'instructor-cecati-149-01', hours: 20, completedAt: '2019-03-01T20:00:00.000Z',
      });
    });
    await this.evaluate('ece-dgcft', enrolled, '2019-03-18', 'competent');
    await this.issue('ece-dgcft', enrolled, '2019-04-26T18:00:00.000Z');
  }

  /** Certificates of 2018 expired in 2023: the same people may certify again. */
  private async recertifyAfterExpiry(previous: readonly Enrolled[]): Promise<void> {
    const enrolled = await this.enroll('ce-tijuana', 'ece-bc', 'EC0105', (i) => ({
      agency: this.pick(TIJUANA_AGENCIES), jurisdiction: { state: 'BC', municipality: 'Tijuana' },
      employment: 'base', enrolledAt: '2024-02-05T16:00:00.000Z', person: previous[i].person,
    }), previous.length);
    await this.evaluate('ece-bc', enrolled, '2024-03-15', 'competent');
    await this.issue('ece-bc', enrolled, '2024-04-10T18:00:00.000Z');
  }

  /** Instructors certified in EC0217 in 2025–2026; some still in process or not yet competent. */
  private async recentEc0217Program(): Promise<void> {
    const enrolled = await this.enroll('oc-occidente', 'oc-occidente', 'EC0217', (i) => {
      const place = OTHER_AGENCIES[i % OTHER_AGENCIES.length];
      return {
        agency: place.agency, jurisdiction: { state: place.state, ...(place.municipality ? { municipality: place.municipality } : {}) },
        employment: this.pick(['base', 'confianza', 'honorarios', 'other']),
        enrolledAt: `2025-${String(3 + (i % 9)).padStart(2, '0')}-10T16:00:00.000Z`,
      };
    }, 60);
    const certified = enrolled.slice(0, 40);
    const notYet = enrolled.slice(40, 52);
    await this.evaluate('oc-occidente', certified, '2026-01-19', 'competent');
    await this.evaluate('oc-occidente', notYet, '2026-01-26', 'not_yet_competent');
    await this.issue('oc-occidente', certified, '2026-02-27T18:00:00.000Z');
    // The last eight stay enrolled: their evaluation is still pending.
  }

  /**
   * A fictitious certification body's 2019 work in Othón P. Blanco (Chetumal), with the patterns of the audit
   * findings: its one evaluator judges 30 candidates on 4 June and, over 112 judgments, never one "not yet
   * competent"; three candidates file the same portfolio; 60 certificates are issued one by one on 1 July, outside
   * any batch; and two public servants are enrolled, judged and certified within the same afternoon.
   */
  private async irregularProvider(): Promise<void> {
    const providerId = 'oc-peninsular';
    const [evaluatorId] = this.evaluatorsOf[providerId];
    const work = (i: number) => ({
      agency: OTHON_P_BLANCO_AGENCIES[i % OTHON_P_BLANCO_AGENCIES.length], jurisdiction: { state: 'QR', municipality: 'Othón P. Blanco' },
      employment: i % 4 === 0 ? 'confianza' : 'base', enrolledAt: '2019-05-06T15:00:00.000Z', person: this.newPerson(['QR', 'QR', 'YN', 'CC', 'TC']),
    });
    const enrolled = await this.enroll(providerId, providerId, 'EC0105', work, 110);
    const copied = `sha256:${createHash('sha256').update('portafolio compartido, Othón P. Blanco, 2019').digest('hex')}`;
    await this.inParallel(enrolled, async ({ processId }, index) => {
      // Thirty on 4 June; the rest six a day from the 5th.
      const day = index < 30 ? '2019-06-04' : addBusinessDays('2019-06-05', Math.floor((index - 30) / JUDGMENTS_PER_DAY));
      await this.judge(providerId, evaluatorId, processId, `${day}T${String(14 + (index % 8)).padStart(2, '0')}:00:00.000Z`, 'competent', index >= 40 && index < 43 ? copied : undefined);
    });
    const certifier = this.certifierOf(providerId);
    await this.inParallel(enrolled, async ({ processId }, index) => {
      await this.send(certifier, `/v1/enrollments/${processId}/certificate`, { issuedAt: index < 60 ? '2019-07-01T18:00:00.000Z' : '2019-07-02T18:00:00.000Z' });
      this.summary.certificates += 1;
    });
    const rushed = await this.enroll(providerId, providerId, 'EC0105', (i) => ({ ...work(i), enrolledAt: '2019-08-12T15:00:00.000Z' }), 2);
    for (const { processId } of rushed) {
      await this.judge(providerId, evaluatorId, processId, '2019-08-12T17:30:00.000Z', 'competent');
      await this.send(certifier, `/v1/enrollments/${processId}/certificate`, { issuedAt: '2019-08-12T22:00:00.000Z' });
      this.summary.certificates += 1;
    }
  }

  private async revoke(folios: readonly string[]): Promise<void> {
    const reasons = [
      'Evidencia no atribuible al candidato, según dictamen de la Contraloría',
      'Registro duplicado del candidato',
      'Error en el portafolio de evidencias detectado en auditoría',
    ];
    for (const [index, folio] of folios.entries()) {
      const as = index === 0 ? AUTHORITY : this.certifierOf('ece-bc');
      await this.send(as, `/v1/certificates/${folio}/revocation`, { reason: reasons[index % reasons.length], revokedAt: '2019-02-18T17:00:00.000Z' });
      this.summary.revocations += 1;
    }
  }
}

/** `days` business days (Monday to Friday) after `from` (itself a business day), as `YYYY-MM-DD`. */
export function addBusinessDays(from: string, days: number): string {
  const date = new Date(`${from}T12:00:00.000Z`);
  for (let left = days; left > 0; ) {
    date.setUTCDate(date.getUTCDate() + 1);
    const weekday = date.getUTCDay();
    if (weekday !== 0 && weekday !== 6) left -= 1;
  }
  return date.toISOString().slice(0, 10);
}
