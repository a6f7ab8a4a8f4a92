import { testPool } from '../support/test-pool';
import { PostgresEventStore, type RecordedEvent } from '@ledger/event-store';
import { createTestDatabase } from '../support/test-database';
import { newSecrets, runCli } from './support/ledger-server';

/**
 * `ledger seed demo` writes only through the command API: every event it
 * leaves carries a real actor and command metadata, and the log's own counts
 * match what the command reports.
 */
describe('seed demo', () => {
  let database: { url: string; drop: () => Promise<void> };
  let env: Record<string, string>;
  let events: RecordedEvent[];
  let summary: Record<string, number>;

  beforeAll(async () => {
    database = await createTestDatabase('seed_demo');
    const secrets = newSecrets();
    env = { DATABASE_URL: database.url, LEDGER_TOKEN_KEY: secrets.tokenKey, LEDGER_SUBJECT_KEY: secrets.subjectKey, LEDGER_FOLIO_KEY: secrets.folioKey, LEDGER_PROJECTOR: 'off' };
    const run = await runCli(['seed', 'demo', '--people', '672'], env);
    expect(run.stderr).not.toMatch(/Error/);
    expect(run.code).toBe(0);
    summary = JSON.parse(run.stdout.slice(run.stdout.indexOf('{')));
    const pool = testPool({ connectionString: database.url, max: 2 });
    const store = new PostgresEventStore(pool);
    events = await store.readAll({ maxCount: 100_000 });
    await store.close();
    await pool.end();
  }, 180_000);

  afterAll(async () => {
    await database?.drop();
  });

  const count = (type: string) => events.filter((e) => e.type === type).length;

  it('loads the fixed programs and scales the ceremony to --people', () => {
    expect(summary).toEqual({
      standards: 4, programs: 2, providers: 7, evaluators: 15,
      // 672 people (a ceremony of 51 beside the fixed programs), plus 40 of Tijuana enrolled again after their 2018 certificates expired.
      enrollments: 712,
      // All but the 20 EC0217 candidates still in process.
      certificates: 692,
      // One in twenty of the ceremony's 51 (3), and 12 EC0217 candidates.
      notYetCompetent: 15,
      revocations: 3,
    });
  });

  it('agrees with the event log', () => {
    expect(count('StandardRegistered')).toBe(summary.standards);
    expect(count('ProviderAccredited')).toBe(summary.providers);
    expect(count('EvaluatorAccredited')).toBe(summary.evaluators);
    expect(count('CandidateEnrolled')).toBe(summary.enrollments);
    expect(count('CertificateIssued')).toBe(summary.certificates);
    expect(count('CertificateRevoked')).toBe(summary.revocations);
    expect(events.filter((e) => e.type === 'EvaluationRecorded' && (e.data as { result: string }).result === 'not_yet_competent')).toHaveLength(summary.notYetCompetent);
    // 672 new people and 15 evaluators are registered once each; re-enrolled people are not registered again.
    expect(count('PersonRegistered')).toBe(672 + 15);
    expect(count('ProgramLaunched')).toBe(summary.programs);
  });

  it('writes every event with the actor of a real command, and personal data only in person streams', () => {
    for (const event of events) {
      expect(['authority', 'certifier', 'registrar', 'evaluator']).toContain(event.metadata.actor.role);
      expect(event.metadata.commandId).toBeTruthy();
      if (!event.streamId.startsWith('person-')) expect(JSON.stringify(event.data)).not.toMatch(/[A-Z]{4}\d{6}[HMX][A-Z]{5}[0-9A-Z]\d/);
    }
  });

  it('refuses to load twice into the same ledger, saying why', async () => {
    const again = await runCli(['seed', 'demo', '--people', '1'], env);
    expect(again.code).toBe(1);
    expect(again.stderr).toContain('already holds the demo standards');
    expect(again.stderr).not.toMatch(/\n\s+at /);
  }, 60_000);
});
