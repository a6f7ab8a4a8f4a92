import { Folio } from '@ledger/domain';
import { ledgerProjections, rebuildProjections } from '@ledger/projections';
import {
  AuditQueries,
  CertificateQueries,
  CertificationStatsQueries,
  createReadModelDataSource,
  EnrollmentQueries,
  KeptTransparencyReports,
  parseGroupBy,
  ProvenanceQueries,
  renderTransparencyCsv,
  renderTransparencyJson,
  TransparencyReports,
  type CertificateView,
  type ReadModelChanges,
  type TransparencyReportRequest,
} from '@ledger/read-models';
import type { DataSource } from 'typeorm';
import { catchUpReadModels, createReadSideFixture, type ReadSideFixture } from './support/read-side-fixture';
import { nameAt, readTruth, statusAsOf, type LedgerTruth } from './support/ledger-truth';
import { seedEventStore, SyntheticLedger } from '@ledger/projections/testing';

const NOW = '2025-06-01T00:00:00.000Z';

describe('read models', () => {
  let fixture: ReadSideFixture;
  let dataSource: DataSource;
  let truth: LedgerTruth;
  let ledger: SyntheticLedger;

  beforeAll(async () => {
    fixture = await createReadSideFixture('read_models');
    ledger = new SyntheticLedger({ people: 900, waveSize: 60, seed: 7 });
    await seedEventStore(fixture.store, ledger.appends());
    await catchUpReadModels(fixture);
    truth = await readTruth(fixture.store);
    dataSource = createReadModelDataSource(fixture.url, 4);
    await dataSource.initialize();
  });
  afterAll(async () => {
    await dataSource.destroy();
    await fixture.teardown();
  });

  describe('statistics', () => {
    it.each(['', 'state', 'standard,employment', 'provider,month', 'municipality,agency'])(
      'equal counts taken straight from the event log, grouped by "%s"',
      async (groupBy) => {
        const dimensions = parseGroupBy(groupBy);
        const stats = await new CertificationStatsQueries(dataSource).count(dimensions, {}, {}, NOW);
        const expected = new Map<string, number>();
        for (const certificate of truth.certificates) {
          const key = JSON.stringify(dimensions.map((d) => dimensionOf(certificate, d)));
          expected.set(key, (expected.get(key) ?? 0) + 1);
        }
        const actual = new Map(stats.groups.map((group) => [JSON.stringify(dimensions.map((d) => group.key[d])), group.count]));
        expect(actual).toEqual(expected);
        expect(stats.groups.every((group) => Object.keys(group.key).join(',') === dimensions.join(','))).toBe(true);
      },
    );

    it.each(['valid', 'revoked', 'expired'] as const)('count %s certificates like the log does', async (status) => {
      const stats = await new CertificationStatsQueries(dataSource).count(parseGroupBy('month'), { status }, {}, NOW);
      const expected = truth.certificates.filter((c) => (c.revokedAt ? 'revoked' : c.validUntil < NOW ? 'expired' : 'valid') === status);
      expect(stats.groups.reduce((sum, group) => sum + group.count, 0)).toBe(expected.length);
      expect(expected.length).toBeGreaterThan(0);
    });

    it('filter by status and issue dates like the certificates list does', async () => {
      const filters = { status: 'expired' as const, issuedFrom: '2019-01-01', issuedTo: '2020-12-31', state: 'BC' };
      const stats = await new CertificationStatsQueries(dataSource).count(parseGroupBy('standard'), filters, {}, NOW);
      const expected = truth.certificates.filter(
        (c) => !c.revokedAt && c.validUntil < NOW && c.issuedAt >= '2019-01-01' && c.issuedAt < '2021-01-01' && c.state === 'BC',
      ).length;
      expect(stats.groups.reduce((sum, group) => sum + group.count, 0)).toBe(expected);
      expect(expected).toBeGreaterThan(0);
    });
  });

  describe('certificates', () => {
    it('pages through every certificate once, in issue order, with the holder name', async () => {
      const queries = new CertificateQueries(dataSource);
      const seen: CertificateView[] = [];
      let cursor: string | undefined;
      do {
        const page = await queries.list({}, {}, { limit: 97, cursor }, NOW);
        seen.push(...page.items);
        cursor = page.nextCursor ?? undefined;
      } while (cursor);
      expect(seen.map((c) => c.folio).sort()).toEqual(truth.certificates.map((c) => c.folio).sort());
      const last = truth.certificates[truth.certificates.length - 1];
      const shown = seen.find((c) => c.folio === last.folio)!;
      expect(shown.holderName).toBe(nameAt(truth, last.subjectId, BigInt(Number.MAX_SAFE_INTEGER)));
      expect(Object.keys(shown)).toEqual(expect.arrayContaining(['folio', 'status', 'standardCode', 'holderName', 'subjectId', 'providerId', 'evaluatorId', 'agency', 'jurisdiction', 'employment', 'issuedAt', 'validUntil', 'position']));
    });

    it('show a certifier only its own provider', async () => {
      const own = truth.certificates[0].providerId;
      const page = await new CertificateQueries(dataSource).list({}, { ownProviderId: own }, { limit: 500 }, NOW);
      expect(page.items.length).toBeGreaterThan(0);
      expect(page.items.every((c) => c.providerId === own)).toBe(true);
      const foreign = truth.certificates.find((c) => c.providerId !== own)!;
      await expect(new CertificateQueries(dataSource).byFolio(foreign.folio, { ownProviderId: own })).rejects.toMatchObject({ code: 'CERTIFICATE_NOT_FOUND' });
    });

    it('verify publicly, telling a typo from an unknown folio, and never show a CURP', async () => {
      const queries = new CertificateQueries(dataSource);
      const revoked = truth.certificates.find((c) => c.revokedAt)!;
      const shown = await queries.verify(revoked.folio.toLowerCase(), NOW);
      expect(shown).toMatchObject({ folio: revoked.folio, status: 'revoked', standardCode: revoked.standardCode });
      expect(shown.standardTitle).toEqual(expect.any(String));
      expect(JSON.stringify(shown)).not.toContain(revoked.subjectId);
      const typo = mistype(revoked.folio);
      await expect(queries.verify(typo, NOW)).rejects.toMatchObject({ code: 'FOLIO_CHECK', kind: 'validation' });
      await expect(queries.verify('not-a-folio', NOW)).rejects.toMatchObject({ code: 'FOLIO_FORMAT' });
      const unknown = Folio.fromBody('000000000000').value;
      await expect(queries.verify(unknown, NOW)).rejects.toMatchObject({ code: 'CERTIFICATE_NOT_FOUND', kind: 'not_found' });
    });
  });

  it('store no CURP in any read model', async () => {
    const tables = await fixture.sql<{ table_schema: string; table_name: string }>(
      `SELECT table_schema, table_name FROM information_schema.tables WHERE table_schema LIKE 'rm\\_%' OR table_schema = 'read_models'`,
    );
    expect(tables.length).toBeGreaterThan(10);
    const curps = new Set(ledger.curps);
    for (const { table_schema, table_name } of tables) {
      const rows = await fixture.sql<{ text: string }>(`SELECT t::text AS text FROM "${table_schema}"."${table_name}" t`);
      const found = rows.flatMap(({ text }) => (text.match(/[A-Z]{4}\d{6}[HM][A-Z]{5}[0-9A-Z]\d/g) ?? []).filter((c) => curps.has(c)));
      expect({ table: `${table_schema}.${table_name}`, found }).toEqual({ table: `${table_schema}.${table_name}`, found: [] });
    }
    // The pattern does find the CURPs where they are meant to be: in the person streams.
    expect(ledger.curps[0]).toMatch(/^[A-Z]{4}\d{6}[HM][A-Z]{5}[0-9A-Z]\d$/);
    const [stored] = await fixture.sql<{ n: string }>(`SELECT count(*)::text AS n FROM event_store.events WHERE data->>'curp' = $1`, [ledger.curps[0]]);
    expect(stored.n).toBe('1');
  });

  describe('transparency report', () => {
    const reports = () => new TransparencyReports(dataSource, async () => undefined);
    const bytes = async (request: TransparencyReportRequest, format: 'json' | 'csv') => {
      const report = await reports().prepare(request);
      let out = '';
      for await (const piece of format === 'json' ? renderTransparencyJson(report) : renderTransparencyCsv(report)) out += piece;
      return out;
    };

    it('as of a past date excludes what happened later, and matches the log', async () => {
      const head = truth.events[truth.events.length - 1].position;
      const body = JSON.parse(await bytes({ asOf: '2020-06-30', filters: {} }, 'json'));
      const expected = truth.certificates.filter((c) => c.issuedAt < '2020-07-01').sort((a, b) => (a.folio < b.folio ? -1 : 1));
      expect(body.asOf).toBe('2020-06-30');
      expect(body.position).toBe(head.toString());
      expect(body.certificates.map((c: { folio: string }) => c.folio)).toEqual(expected.map((c) => c.folio));
      const statuses = expected.map((c) => statusAsOf(c, '2020-07-01T00:00:00.000Z', head));
      expect(body.certificates.map((c: { status: string }) => c.status)).toEqual(statuses);
      expect(body.totals.revoked).toBe(statuses.filter((s) => s === 'revoked').length);
      expect(body.totals.expired).toBe(statuses.filter((s) => s === 'expired').length);
      expect(body.totals.revoked).toBeGreaterThan(0);
      expect(JSON.stringify(body)).not.toMatch(/subjectId|curp/i);
    });

    it('at an earlier position excludes what was recorded later, names included', async () => {
      const at = truth.events[Math.floor(truth.events.length / 2)].position;
      const body = JSON.parse(await bytes({ asOf: '2030-01-01', atPosition: at, filters: {} }, 'json'));
      const expected = truth.certificates.filter((c) => c.issuedPosition <= at).sort((a, b) => (a.folio < b.folio ? -1 : 1));
      expect(body.position).toBe(at.toString());
      expect(body.certificates.map((c: { folio: string }) => c.folio)).toEqual(expected.map((c) => c.folio));
      expect(body.certificates.map((c: { holderName: string }) => c.holderName)).toEqual(expected.map((c) => nameAt(truth, c.subjectId, at)));
      expect(body.certificates.map((c: { status: string }) => c.status)).toEqual(expected.map((c) => statusAsOf(c, '2030-01-02T00:00:00.000Z', at)));
    });

    it('gives the same bytes across runs and after a rebuild, in JSON and CSV', async () => {
      const at = truth.events[Math.floor(truth.events.length * 0.7)].position;
      const request: TransparencyReportRequest = { asOf: '2021-03-15', atPosition: at, filters: { standard: 'EC0105' } };
      const json = await bytes(request, 'json');
      const csv = await bytes(request, 'csv');
      expect(await bytes(request, 'json')).toBe(json);
      await rebuildProjections({ connectionString: fixture.url, store: fixture.store, projections: ledgerProjections, batchSize: 333 });
      expect(await bytes(request, 'json')).toBe(json);
      expect(await bytes(request, 'csv')).toBe(csv);
      const lines = csv.trimEnd().split('\n');
      expect(lines[0]).toBe('\uFEFFfolio,holderName,standardCode,providerId,agency,state,municipality,employment,issuedAt,validUntil,status'); // BOM first, for spreadsheets
      expect(lines.length - 1).toBe(JSON.parse(json).certificates.length);
    });

    it('in chunks gives the same bytes, with totals over every chunk and each row’s holder beside it', async () => {
      const request: TransparencyReportRequest = { asOf: '2030-01-01', filters: {} };
      const whole = await reports().prepare(request);
      const chunked = await new TransparencyReports(dataSource, async () => undefined, 7).prepare(request);
      expect({ whole: whole.whole, chunked: chunked.whole }).toEqual({ whole: true, chunked: false });
      expect(chunked.totals).toEqual(whole.totals);
      const render = async (report: typeof whole) => {
        let out = '';
        for await (const piece of renderTransparencyJson(report)) out += piece;
        return out;
      };
      expect(await render(chunked)).toBe(await render(whole));
      const holderOf = new Map(truth.certificates.map((c) => [c.folio, c.subjectId]));
      let rows = 0;
      for await (const chunk of chunked.chunks()) {
        expect(chunk.rows.length).toBeLessThanOrEqual(7);
        expect(chunk.holders).toEqual(chunk.rows.map((row) => holderOf.get(row.folio)));
        rows += chunk.rows.length;
      }
      expect(rows).toBe(whole.totals.valid + whole.totals.revoked + whole.totals.expired);
      expect(rows).toBe(truth.certificates.length);
    });

    it('of less than a chunk are rendered whole, the small ones kept while nothing changed; larger ones stream; one at a position is not kept', async () => {
      let changeCount = 0;
      const changes: ReadModelChanges = { changeCount: () => changeCount, knownPosition: () => -1n };
      const inner = reports();
      let prepared = 0;
      const counted = {
        checked: (request: TransparencyReportRequest) => {
          const reading = inner.checked(request);
          return () => ((prepared += 1), reading());
        },
      } as TransparencyReports;
      const kept = new KeptTransparencyReports(counted, { changes, maxKeptRows: 60, maxBytes: 10_000_000 });
      const chunked = new KeptTransparencyReports(new TransparencyReports(dataSource, async () => undefined, 7), { changes, maxKeptRows: 60, maxBytes: 10_000_000 });
      const day = truth.certificates[Math.floor(truth.certificates.length / 2)].issuedAt.slice(0, 10);
      const small: TransparencyReportRequest = { asOf: day, filters: { issuedFrom: day, issuedTo: day } };
      const onDay = truth.certificates.filter((c) => c.issuedAt.slice(0, 10) === day).sort((a, b) => (a.folio < b.folio ? -1 : 1));
      expect(onDay.length).toBeGreaterThan(0);
      expect(onDay.length).toBeLessThanOrEqual(60);

      for (const format of ['json', 'csv'] as const) {
        const answer = await kept.answer(small, format);
        if (!('rendered' in answer)) throw new Error(`a report of ${onDay.length} certificates was not rendered whole`);
        expect(answer.rendered.body).toBe(await bytes(small, format));
        expect(answer.rendered.holders).toEqual(onDay.map((c) => c.subjectId));
      }
      expect(prepared).toBe(2);
      await kept.answer(small, 'json');
      await kept.answer(small, 'csv');
      expect(prepared).toBe(2);
      changeCount = 1; // a checkpoint was notified
      await kept.answer(small, 'json');
      expect(prepared).toBe(3);

      // The whole registry: less than a chunk, so rendered whole, but more than is kept.
      const everything: TransparencyReportRequest = { asOf: '2030-01-01', filters: {} };
      const large = await kept.answer(everything, 'json');
      if (!('rendered' in large)) throw new Error('a report of less than a chunk was not rendered whole');
      expect(large.rendered.body).toBe(await bytes(everything, 'json'));
      expect(large.rendered.holders.length).toBe(truth.certificates.length);
      await kept.answer(everything, 'json');
      expect(prepared).toBe(5);
      // A report of more than a chunk streams, and is never kept.
      const streamed = await chunked.answer(everything, 'json');
      if (!('streamed' in streamed)) throw new Error('a report of several chunks was rendered whole');
      let out = '';
      for await (const piece of renderTransparencyJson(streamed.streamed)) out += piece;
      expect(out).toBe(await bytes(everything, 'json'));
      const earlier = { ...small, atPosition: truth.events[truth.events.length - 1].position };
      expect('rendered' in (await kept.answer(earlier, 'json'))).toBe(true);
      await kept.answer(earlier, 'json');
      expect(prepared).toBe(7);
    });
  });

  describe('audit trail, timelines, processes and provenance', () => {
    it('list every event once with its actor, filtered and paged', async () => {
      const audit = new AuditQueries(dataSource);
      const page = await audit.events({ role: 'evaluator' }, { limit: 50 });
      expect(page.items.length).toBe(50);
      expect(page.items.every((row) => row.actor.role === 'evaluator' && row.type === 'EvaluationRecorded')).toBe(true);
      const next = await audit.events({ role: 'evaluator' }, { limit: 50, cursor: page.nextCursor! });
      expect(BigInt(next.items[0].position)).toBeGreaterThan(BigInt(page.items[49].position));
    });

    it('give a person timeline in log order, without personal data', async () => {
      const certificate = truth.certificates.find((c) => c.revokedAt)!;
      const timeline = await new AuditQueries(dataSource).timeline(certificate.subjectId, { limit: 100 });
      const expected = truth.events.filter((e) => JSON.stringify(e.data).includes(certificate.subjectId) || e.streamId === `certification-${processOf(truth, certificate.folio)}` || e.streamId === `folio-${certificate.folio}`);
      expect(timeline.items.map((e) => e.position)).toEqual(expected.map((e) => e.position.toString()));
      expect(JSON.stringify(timeline)).not.toMatch(/curp|fullName/);
    });

    it('show a process with its steps, and a certificate\'s provenance with the evaluator\'s accreditation', async () => {
      const certificate = truth.certificates[5];
      const processId = processOf(truth, certificate.folio);
      const process = await new EnrollmentQueries(dataSource).byProcessId(processId, { role: 'certifier', organizationId: certificate.providerId });
      expect(process.steps[0].type).toBe('CandidateEnrolled');
      expect(process.folio).toBe(certificate.folio);
      await expect(new EnrollmentQueries(dataSource).byProcessId(processId, { role: 'certifier', organizationId: 'someone-else' })).rejects.toMatchObject({ code: 'PROCESS_NOT_FOUND' });
      const provenance = await new ProvenanceQueries(dataSource).ofCertificate(certificate.folio);
      expect(provenance.enrollment?.actor.role).toBe('registrar');
      expect(provenance.issuance?.position).toBe(certificate.issuedPosition.toString());
      const competent = provenance.evaluations.find((e) => e.details.result === 'competent')!;
      expect(competent.accreditation).toMatchObject({ evaluatorId: certificate.evaluatorId, inForce: true, credentialFolio: `CED-${certificate.evaluatorId}` });
    });
  });
});

function dimensionOf(certificate: LedgerTruth['certificates'][number], dimension: string): string | null {
  switch (dimension) {
    case 'state':
      return certificate.state;
    case 'municipality':
      return certificate.municipality;
    case 'agency':
      return certificate.agency;
    case 'standard':
      return certificate.standardCode;
    case 'provider':
      return certificate.providerId;
    case 'employment':
      return certificate.employment;
    case 'month':
      return certificate.issuedAt.slice(0, 7);
    default:
      throw new Error(dimension);
  }
}

function processOf(truth: LedgerTruth, folio: string): string {
  const issued = truth.events.find((e) => e.type === 'CertificateIssued' && (e.data as { folio: string }).folio === folio)!;
  return (issued.data as { processId: string }).processId;
}

/** The folio with one body character changed: the check character no longer matches. */
function mistype(folio: string): string {
  const swapped = folio[0] === '7' ? '8' : '7';
  return swapped + folio.slice(1);
}
