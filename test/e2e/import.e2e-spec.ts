import { spawn } from 'node:child_process';
import { statSync, writeFileSync, readFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { stringify } from 'csv-stringify/sync';
import type { EventStore, RecordedEvent } from '@ledger/event-store';
import request from 'supertest';
import { callersFor, competentProcess, EVALUATOR_ID, EVIDENCE, nextPerson, post, PROVIDER_ID, seedReferenceData, type Callers } from './support/ledger-client';
import { POSTGRES_MODE, type LedgerUnderTest } from './support/ledger-modes';
import { runCli, type LedgerServer } from './support/ledger-server';
import { eventually } from '../support/eventually';
import { compiledApp } from '../support/compiled-apps';

const HEADER = [
  'curp', 'full_name', 'agency', 'state', 'municipality', 'employment', 'standard', 'provider_id', 'enrolled_at', 'status',
  'evaluator_id', 'evaluated_at', 'evidence_digest', 'issued_at', 'printed_folio', 'revoked_at', 'revocation_reason',
];

type Row = Partial<Record<(typeof HEADER)[number], string>>;

/** A row of the file: a person of the test set, enrolled in EC0105 with the seeded provider in 2018. */
function row(status: string, overrides: Row = {}, person = nextPerson()): Row {
  const judged = status !== 'enrolled';
  const issued = status === 'certified' || status === 'revoked';
  return {
    curp: person.curp,
    full_name: person.fullName,
    agency: 'Secretaría de Hacienda',
    state: 'BC',
    municipality: 'Tijuana',
    employment: 'base',
    standard: 'EC0105',
    provider_id: PROVIDER_ID,
    enrolled_at: '2018-03-01',
    status,
    ...(judged ? { evaluator_id: EVALUATOR_ID, evaluated_at: '2018-04-02T16:00:00Z' } : {}),
    ...(issued ? { issued_at: '2018-05-03T17:00:00Z' } : {}),
    ...(status === 'revoked' ? { revoked_at: '2019-01-15', revocation_reason: 'Evidencia apócrifa' } : {}),
    ...overrides,
  };
}

function csvOf(rows: readonly Row[], header: readonly string[] = HEADER): string {
  return stringify(rows.map((r) => header.map((column) => r[column as keyof Row] ?? '')), { header: true, columns: [...header] });
}

/**
 * `npm run ledger -- import certifications FILE.csv` as an operator runs it,
 * beside a running ledger: rows through the domain rules, refused rows with
 * their reasons in a rejects file (and nothing written for them), printed
 * folios kept, and the same file imported twice writing nothing new.
 */
describe('ledger import certifications', () => {
  let ledger: LedgerUnderTest;
  let server: LedgerServer;
  let store: EventStore;
  let callers: Callers;
  let dir: string;
  let env: Record<string, string>;

  beforeAll(async () => {
    ledger = await POSTGRES_MODE.start({ databasePrefix: 'import' });
    ({ server, store } = ledger);
    callers = callersFor(server);
    await seedReferenceData(server, callers);
    dir = mkdtempSync(join(tmpdir(), 'ledger-import-'));
    env = { DATABASE_URL: await ledger.postgresUrl(), LEDGER_DATA_DIR: server.dataDir, EVENTSTORE_CONNECTION_STRING: '' };
  });

  afterAll(async () => {
    await ledger?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  const importFile = (file: string, ...extra: string[]) => runCli(['import', 'certifications', file, ...extra], env);
  const headPosition = () => store.headPosition();
  const eventsAfter = async (position: bigint): Promise<RecordedEvent[]> => (await store.readAll()).filter((event) => event.position > position);

  it('imports what the rules accept, writes the refused rows with their reasons, and nothing twice', async () => {
    const unaccredited = nextPerson();
    const rows: Row[] = [
      row('certified', { printed_folio: 'D-2018/000123' }),
      row('revoked'),
      row('enrolled'),
      row('competent'), // no evidence digest: the registry kept none
      row('not_yet_competent', { evidence_digest: EVIDENCE }),
      row('certified', { curp: 'XXXX000000XXXXXX00' }),
      row('certified', { evaluator_id: 'eval-unknown' }, unaccredited),
      row('certified', { full_name: 'Ana\u0007 Pérez' }),
      row('certified', { issued_at: '2018-04-01T00:00:00Z' }), // before the judgment
      row('certified', { issued_at: '' }),
      row('enrolled', { issued_at: '2018-05-03' }), // a step the status did not reach
      row('certified', { printed_folio: '<script>' }),
      row('certified', { enrolled_at: '2031-01-01' }),
    ];
    const file = join(dir, 'archive.csv');
    writeFileSync(file, csvOf(rows));
    const before = await headPosition();

    const first = await importFile(file);
    expect(first.stderr).not.toMatch(/Error|at .*\.ts:\d+/);
    expect(first.code).toBe(2);
    const summary = JSON.parse(first.stdout);
    expect(summary).toEqual({
      run: expect.stringMatching(/^[0-9a-f-]{36}$/),
      file: { sha256: expect.stringMatching(/^[0-9a-f]{64}$/), bytes: statSync(file).size },
      rows: rows.length,
      accepted: 5,
      rejected: 8,
      rejects: `${file}.rejects.csv`,
      seconds: expect.any(Number),
    });
    // The summary is for the operator's terminal and logs: no personal data.
    for (const r of rows) {
      expect(first.stdout + first.stderr).not.toContain(r.curp);
      expect(first.stdout + first.stderr).not.toContain(r.full_name);
    }

    const rejectsFile = `${file}.rejects.csv`;
    expect(statSync(rejectsFile).mode & 0o777).toBe(0o600);
    const rejects = parse(readFileSync(rejectsFile), { columns: true }) as Record<string, string>[];
    const reasons = Object.fromEntries(rejects.map((r) => [r.rejected_line, [r.rejected_step, r.rejected_column, r.rejected_code]]));
    expect(reasons).toEqual({
      '7': ['row', 'curp', expect.stringMatching(/^CURP_/)],
      '8': ['row', 'evaluator_id', 'EVALUATOR_NOT_ACCREDITED'],
      '9': ['row', 'full_name', expect.any(String)],
      '10': ['row', 'issued_at', 'DATE_BEFORE_PREVIOUS_STEP'],
      '11': ['row', 'issued_at', 'REQUIRED'],
      '12': ['row', 'issued_at', 'STEP_NOT_REACHED'],
      '13': ['row', 'printed_folio', 'INVALID_FIELD'],
      '14': ['row', 'enrolled_at', 'DATE_IN_FUTURE'],
    });
    // The rejects file keeps each row as it was, so it can be corrected and imported as it is.
    expect(rejects.find((r) => r.rejected_line === '8')?.curp).toBe(unaccredited.curp);

    const written = await eventsAfter(before);
    const types = written.map((event) => event.type);
    // Nothing of the refused rows: each was refused before its first command.
    expect(types.filter((type) => type === 'CandidateEnrolled')).toHaveLength(5);
    expect(types.filter((type) => type === 'CertificateIssued')).toHaveLength(2);
    expect(types.filter((type) => type === 'CertificateRevoked')).toHaveLength(1);
    expect(written.every((event) => event.metadata.correlationId === summary.run)).toBe(true);
    const judgments = written.filter((event) => event.type === 'EvaluationRecorded').map((event) => event.data as Record<string, unknown>);
    expect(judgments).toHaveLength(4);
    expect(judgments.filter((judgment) => judgment.evidenceDigest === undefined)).toHaveLength(3);
    expect(judgments.every((judgment) => judgment.importRun === summary.run)).toBe(true);
    const issued = written.filter((event) => event.type === 'CertificateIssued').map((event) => event.data as Record<string, string>);
    const printed = issued.find((certificate) => certificate.printedFolio === 'D-2018/000123');
    expect(printed).toBeDefined();

    // The comptroller sees the printed folio beside the ledger's own; the public route never answers by a printed one.
    const certificate = await eventually(async () => {
      const response = await request(server.baseUrl).get(`/v1/certificates/${printed!.folio}`).set('Authorization', callers.comptroller);
      return response.status === 200 ? response.body : undefined;
    });
    expect(certificate).toEqual(expect.objectContaining({ folio: printed!.folio, printedFolio: 'D-2018/000123', status: 'expired', issuedAt: '2018-05-03T17:00:00.000Z' }));
    expect((await request(server.baseUrl).get('/v1/public/certificates/D-2018%2F000123')).status).toBeGreaterThanOrEqual(400);
    // A comptroller holding the paper certificate finds it by its printed folio (spaces as typed do not matter).
    const byPrinted = await request(server.baseUrl).get('/v1/certificates').query({ printedFolio: ' D-2018/000123 ' }).set('Authorization', callers.comptroller);
    expect(byPrinted.status).toBe(200);
    expect(byPrinted.body.items.map((item: { folio: string }) => item.folio)).toEqual([printed!.folio]);
    const none = await request(server.baseUrl).get('/v1/certificates').query({ printedFolio: 'D-2018/999999' }).set('Authorization', callers.comptroller);
    expect(none.body.items).toEqual([]);
    for (const hostile of ['<script>', 'D-1\u0000', 'A'.repeat(65)]) {
      const refused = await request(server.baseUrl).get('/v1/certificates').query({ printedFolio: hostile }).set('Authorization', callers.comptroller);
      expect(refused.status).toBe(400);
      expect(refused.headers['content-type']).toMatch(/problem\+json/);
      expect(JSON.stringify(refused.body)).toContain('printedFolio');
    }
    // Stats and reports take the shared filters only.
    expect((await request(server.baseUrl).get('/v1/stats/certifications').query({ printedFolio: 'D-1' }).set('Authorization', callers.comptroller)).status).toBe(400);

    // Again: every accepted row's commands are found done; the refused rows are refused again.
    const head = await headPosition();
    const second = await importFile(file);
    expect(second.code).toBe(2);
    expect(JSON.parse(second.stdout)).toEqual(expect.objectContaining({ run: summary.run, accepted: 5, rejected: 8 }));
    expect(await headPosition()).toBe(head);

    // The rejects file, corrected, imports as it is (its reason columns are ignored).
    const corrected = rejects.map((r) => (r.rejected_line === '11' ? { ...r, issued_at: '2018-05-03T17:00:00Z' } : r)).filter((r) => r.rejected_line === '11');
    const fixFile = join(dir, 'fixed.csv');
    writeFileSync(fixFile, stringify(corrected, { header: true, columns: Object.keys(corrected[0]) }));
    const fixed = await importFile(fixFile);
    expect(fixed.code).toBe(0);
    expect(JSON.parse(fixed.stdout)).toEqual(expect.objectContaining({ rows: 1, accepted: 1, rejected: 0 }));
    expect(() => statSync(`${fixFile}.rejects.csv`)).toThrow();
  });

  it('imports the certifications of one person in file order: a certificate, its expiry, a new one', async () => {
    const person = nextPerson();
    const rows: Row[] = [
      row('certified', { enrolled_at: '2018-02-01', evaluated_at: '2018-03-01T16:00:00Z', issued_at: '2018-04-01T17:00:00Z' }, person),
      row('certified', { enrolled_at: '2023-06-01', evaluated_at: '2023-07-03T16:00:00Z', issued_at: '2023-08-01T17:00:00Z', printed_folio: 'D-2023/42' }, person),
    ];
    const file = join(dir, 'recertified.csv');
    writeFileSync(file, csvOf(rows));
    const before = await headPosition();
    for (let attempt = 0; attempt < 3; attempt += 1) {
      const result = await importFile(file, '--concurrency', '8');
      expect(result.stderr).not.toMatch(/\n\s+at /);
      expect(JSON.parse(result.stdout)).toEqual(expect.objectContaining({ rows: 2, accepted: 2, rejected: 0 }));
    }
    const issued = (await eventsAfter(before)).filter((event) => event.type === 'CertificateIssued').map((event) => event.data as Record<string, string>);
    expect(issued.map((certificate) => certificate.issuedAt)).toEqual(['2018-04-01T17:00:00.000Z', '2023-08-01T17:00:00.000Z']);
  });

  it('killed mid-way (kill -9) and run again, imports every row once', async () => {
    const rows = Array.from({ length: 150 }, () => row('certified'));
    const file = join(dir, 'interrupted.csv');
    writeFileSync(file, csvOf(rows));
    const before = await headPosition();
    const cli = spawn(process.execPath, [compiledApp('cli'), 'import', 'certifications', file], {
      cwd: join(__dirname, '../..'),
      env: { ...process.env, ...env },
      stdio: 'ignore',
    });
    const exited = new Promise((resolveExit) => cli.once('exit', resolveExit));
    // Killed once some rows are written, long before all are.
    await eventually(async () => ((await headPosition()) > before + 60n ? true : undefined), 60_000, 20);
    cli.kill('SIGKILL');
    await exited;
    const partial = (await eventsAfter(before)).filter((event) => event.type === 'CertificateIssued').length;
    expect(partial).toBeLessThan(rows.length);

    const again = await importFile(file);
    expect(JSON.parse(again.stdout)).toEqual(expect.objectContaining({ rows: rows.length, accepted: rows.length, rejected: 0 }));
    const written = await eventsAfter(before);
    const count = (type: string) => written.filter((event) => event.type === type).length;
    expect([count('PersonRegistered'), count('CandidateEnrolled'), count('EvaluationRecorded'), count('CertificateIssued')]).toEqual([150, 150, 150, 150]);
  });

  it('refuses rows with an unknown status or a cell longer than any field, and writes nothing for them', async () => {
    const rows: Row[] = [row('certified', { status: 'aprobado' }), row('certified', { agency: 'A'.repeat(1_001) }), row('enrolled', { status: ' ' })];
    const file = join(dir, 'odd-rows.csv');
    writeFileSync(file, csvOf(rows));
    const before = await headPosition();
    const result = await importFile(file);
    expect(result.code).toBe(2);
    const rejects = parse(readFileSync(`${file}.rejects.csv`), { columns: true }) as Record<string, string>[];
    const byLine = [...rejects].sort((a, b) => Number(a.rejected_line) - Number(b.rejected_line));
    expect(byLine.map((r) => [r.rejected_column, r.rejected_code])).toEqual([
      ['status', 'INVALID_STATUS'],
      ['agency', 'CELL_TOO_LONG'],
      ['status', 'INVALID_STATUS'],
    ]);
    expect(await headPosition()).toBe(before);
  });

  it('refuses a file whose header it cannot use, and writes nothing', async () => {
    const before = await headPosition();
    const cases: [string, RegExp][] = [
      [csvOf([row('enrolled')], HEADER.filter((column) => column !== 'curp')), /curp: the header lacks this column/],
      [csvOf([row('enrolled')], [...HEADER, 'salary']), /"salary": unknown column/],
      ['curp,curp\nA,B\n', /curp: the header names this column twice/],
      ['\u0000\u0001\u0002 not a csv "\n"', /bad-header-3\.csv: /],
      ['', /bad-header-4\.csv is empty/],
    ];
    // Each file is refused before the ledger starts, so the runs go side by side.
    const results = await Promise.all(
      cases.map(async ([content], index) => {
        const file = join(dir, `bad-header-${index}.csv`);
        writeFileSync(file, content);
        return importFile(file);
      }),
    );
    for (const [index, [, message]] of cases.entries()) {
      const result = results[index];
      expect(result.code).toBe(1);
      expect(result.stderr).toMatch(message);
      expect(result.stderr).not.toMatch(/\n\s+at /); // an operator's error, not a stack trace
      expect(result.stderr).not.toMatch(/[\u0000-\u0008]/); // nor the file's control characters on the terminal
    }
    const missing = await importFile(join(dir, 'no-such-file.csv'));
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/cannot read .*no-such-file\.csv: ENOENT/);
    expect(await headPosition()).toBe(before);
  });

  it('keeps the import’s fields out of the API: a judgment needs its digest, and no request sets a printed folio or a run', async () => {
    const processId = await competentProcess(server, callers);
    const enrolled = await post(server, '/v1/enrollments', callers.registrar, {
      ...nextPerson(), standardCode: 'EC0105', providerId: PROVIDER_ID, agency: 'SEP', jurisdiction: { state: 'BC' }, employment: 'base', enrolledAt: '2018-10-01T15:00:00Z',
    });
    const judge = await post(server, `/v1/enrollments/${enrolled.body.processId}/evaluations`, callers.evaluator, {
      result: 'competent', evaluatedAt: '2018-11-01T16:00:00Z', importRun: 'run-1',
    });
    expect(judge.status).toBe(400);
    expect(judge.headers['content-type']).toMatch(/problem\+json/);
    expect(JSON.stringify(judge.body)).toMatch(/importRun/);
    const issue = await post(server, `/v1/enrollments/${processId}/certificate`, callers.certifier, { printedFolio: 'D-1', importRun: 'run-1' });
    expect(issue.status).toBe(400);
    expect(JSON.stringify(issue.body)).toMatch(/printedFolio/);
  });
});
