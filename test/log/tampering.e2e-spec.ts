import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { Client } from 'pg';
import request from 'supertest';
import { callersFor, competentProcess, post, seedReferenceData, type Callers } from '../e2e/support/ledger-client';
import { POSTGRES_MODE, type LedgerUnderTest } from '../e2e/support/ledger-modes';
import { runCli, startLedgerServer, temporaryDataDir, type LedgerServer } from '../e2e/support/ledger-server';
import { eventually } from '../support/eventually';
import { describeFinding, verifyLog } from '@ledger/projections';
import { parseVerifierKey } from '@ledger/verifiable-log';
import { audit as auditLedger } from '../../apps/cli/src/commands/audit.command';

/**
 * Whoever runs the database can drop the trigger that keeps events
 * unchanged and edit the log as superuser; every read model would follow.
 * `ledger verify` recomputes the tree from the log and holds it against the
 * stored tree and the signed checkpoints: an edited, a deleted and two
 * swapped events are each found, at their position, and told apart.
 * `ledger audit`, run from outside with only the public routes, the log key,
 * the checkpoint it saved last time and a comptroller token, finds those
 * three by re-deriving leaves from entries, and a fourth `verify` cannot: a
 * history rewritten and re-signed with the same key (tree rebuilt, the
 * ledger's own record of its checkpoints wiped), as a fork.
 */
describe('tampering with the event log', () => {
  let ledger: LedgerUnderTest;
  let callers: Callers;
  let superuser: Client;
  let env: Record<string, string>;
  let keyText: string;
  let restarted: LedgerServer | undefined;
  const dataDir = temporaryDataDir();
  const savedCheckpoint = join(dataDir.dir, 'auditor-checkpoint');

  const latestCheckpoint = (server: LedgerServer) => request(server.baseUrl).get('/v1/log/checkpoint');
  type Run = { code: number | null; stdout: string; stderr: string };
  const comptrollerToken = () => callers.comptroller.replace(/^Bearer /, '');
  /** The audit as `npm run ledger -- audit` runs it; the CLI itself is run where its exit code and output are the point. */
  const audit = async (server: LedgerServer, options: { all?: boolean; cli?: boolean } = {}): Promise<Run> => {
    if (options.cli) {
      const all = options.all ? ['--all', '--token', comptrollerToken()] : [];
      return runCli(['audit', '--url', server.baseUrl, '--key', keyText, '--checkpoint', savedCheckpoint, '--quiet', ...all], { DATABASE_URL: '' });
    }
    const outcome = await auditLedger({
      url: server.baseUrl,
      key: keyText,
      checkpoint: savedCheckpoint,
      sample: '32',
      concurrency: '8',
      quiet: true,
      ...(options.all ? { all: true, token: comptrollerToken() } : {}),
    });
    const stdout = `${outcome.lines.join('\n')}\n`;
    return outcome.ok ? { code: 0, stdout, stderr: '' } : { code: 1, stdout, stderr: `ledger: ${outcome.failure}\n` };
  };
  const auditAll = (server: LedgerServer, cli = false) => audit(server, { all: true, cli });

  beforeAll(async () => {
    ledger = await POSTGRES_MODE.start({ databasePrefix: 'tampering', server: { dataDir: dataDir.dir, env: { LEDGER_CHECKPOINT_INTERVAL: '1' } } });
    callers = callersFor(ledger.server);
    await seedReferenceData(ledger.server, callers);
    for (let n = 0; n < 3; n += 1) {
      const processId = await competentProcess(ledger.server, callers);
      expect((await post(ledger.server, `/v1/enrollments/${processId}/certificate`, callers.certifier, { issuedAt: '2018-11-13T18:00:00Z' })).status).toBe(201);
    }
    const head = await ledger.store.headPosition();
    await eventually(async () => {
      const checkpoint = await request(ledger.server.baseUrl).get('/v1/log/checkpoint');
      return checkpoint.status === 200 && checkpoint.text.split('\n')[1] === String(head + 1n) ? true : undefined;
    });
    env = { DATABASE_URL: await ledger.postgresUrl(), LEDGER_DATA_DIR: ledger.server.dataDir };
    superuser = new Client({ connectionString: await ledger.postgresUrl() });
    await superuser.connect();
    await superuser.query('ALTER TABLE event_store.events DISABLE TRIGGER USER');
    keyText = (await request(ledger.server.baseUrl).get('/v1/log/key')).text.trim();
    // The auditor's first run: nothing saved yet, every leaf checked, the checkpoint saved.
    const first = await auditAll(ledger.server, true);
    expect(first.stdout).toContain('this one is trusted as first seen');
    expect(first.stdout).toMatch(/(\d+) of \1 leaves proven in the signed root and re-derived from their entries/);
    expect(first.code).toBe(0);
  });

  afterAll(async () => {
    await superuser?.query('ALTER TABLE event_store.events ENABLE TRIGGER USER').catch(() => undefined);
    await superuser?.end();
    await restarted?.kill('SIGTERM');
    await ledger?.stop();
    dataDir.remove();
  });

  /** `ledger verify` as the CLI runs it, in this process; `verifyCli` runs the command itself. */
  const verifyCli = () => runCli(['verify', '--quiet'], env);
  const verify = async (): Promise<Run> => {
    const key = parseVerifierKey(keyText);
    const result = await verifyLog({ store: ledger.store, db: superuser, origin: key.name, verifiers: [key] });
    return result.finding ? { code: 1, stdout: '', stderr: `ledger: ${describeFinding(result.finding)}\n` } : { code: 0, stdout: 'the log, its tree and every signed checkpoint agree\n', stderr: '' };
  };

  it('agrees with an untouched log', async () => {
    const result = await verifyCli();
    expect(result.stdout).toMatch(/the log, its tree and every signed checkpoint agree/);
    expect(result.code).toBe(0);
  });

  it('finds an event whose data was changed, at its position', async () => {
    // A judgment turned around: the second evaluation's result is rewritten.
    const { rows } = await superuser.query<{ position: string; data: string }>(
      `SELECT position::text AS position, data::text AS data FROM event_store.events WHERE type = 'EvaluationRecorded' ORDER BY events.position OFFSET 1 LIMIT 1`,
    );
    const { position, data } = rows[0];
    await superuser.query(`UPDATE event_store.events SET data = jsonb_set(data::jsonb, '{result}', '"not_yet_competent"')::json WHERE position = $1`, [position]);
    try {
      const result = await verifyCli();
      expect(result.code).toBe(1);
      expect(result.stderr).toContain(`does not match at position ${position} (leaf ${position}): changed:`);
      const audited = await auditAll(ledger.server);
      expect(audited.code).toBe(1);
      expect(audited.stdout).toContain(`leaf ${position} (position ${position}): changed:`);
      expect(audited.stderr).toContain(`the first at leaf ${position}, position ${position}`);
    } finally {
      await superuser.query('UPDATE event_store.events SET data = $1::json WHERE position = $2', [data, position]);
    }
    expect((await verify()).code).toBe(0);
  });

  it('finds an event that was deleted, at its position', async () => {
    const { rows } = await superuser.query('SELECT * FROM event_store.events WHERE position = 9');
    await superuser.query('DELETE FROM event_store.events WHERE position = 9');
    try {
      const result = await verify();
      expect(result.code).toBe(1);
      expect(result.stderr).toMatch(/does not match at position 9 \(leaf 9\): missing: event \S+ at position 9 is gone from the log/);
      const audited = await auditAll(ledger.server);
      expect(audited.code).toBe(1);
      expect(audited.stdout).toContain('leaf 9 (position 9): missing:');
    } finally {
      const row = rows[0];
      await superuser.query('INSERT INTO event_store.events (position, id, stream_id, revision, type, data, metadata) VALUES ($1, $2, $3, $4, $5, $6, $7)', [
        row.position, row.id, row.stream_id, row.revision, row.type, JSON.stringify(row.data), JSON.stringify(row.metadata),
      ]);
    }
    expect((await verify()).code).toBe(0);
  });

  it('finds two events whose places were swapped', async () => {
    const swap = async () => {
      await superuser.query('BEGIN');
      await superuser.query('UPDATE event_store.events SET position = 999999999 WHERE position = 10');
      await superuser.query('UPDATE event_store.events SET position = 10 WHERE position = 11');
      await superuser.query('UPDATE event_store.events SET position = 11 WHERE position = 999999999');
      await superuser.query('COMMIT');
    };
    await swap();
    try {
      const result = await verify();
      expect(result.code).toBe(1);
      expect(result.stderr).toMatch(/does not match at position 10 \(leaf 10\): reordered:/);
      const audited = await auditAll(ledger.server);
      expect(audited.code).toBe(1);
      expect(audited.stdout).toMatch(/leaf 10 \(position 10\): changed:[^\n]*\nleaf 11 \(position 11\): changed:/);
    } finally {
      await swap();
    }
    expect((await verify()).code).toBe(0);
  });

  it('audit, from outside, finds a history rewritten and re-signed with the same key, as a fork', async () => {
    // Untouched, the audit passes and saves the checkpoint it saw.
    const before = await audit(ledger.server, { cli: true });
    expect(before.code).toBe(0);
    const saved = (await latestCheckpoint(ledger.server)).text;
    // The operator stops the ledger, rewrites an event, rebuilds the tree from the rewritten log, wipes the ledger's
    // record of what it signed (table and data folder) and starts again: the same key signs the new history.
    await ledger.server.kill('SIGTERM');
    await superuser.query(`UPDATE event_store.events SET data = jsonb_set(data::jsonb, '{result}', '"not_yet_competent"')::json
      WHERE position = (SELECT min(position) FROM event_store.events WHERE type = 'EvaluationRecorded')`);
    await superuser.query('ALTER TABLE read_models.log_checkpoints DISABLE TRIGGER USER');
    await superuser.query('DELETE FROM read_models.log_checkpoints');
    rmSync(join(dataDir.dir, 'log'), { recursive: true, force: true });
    const rebuilt = await runCli(['rebuild', 'log'], env);
    expect(rebuilt.code).toBe(0);
    restarted = await startLedgerServer({ databaseUrl: env.DATABASE_URL, dataDir: dataDir.dir, secrets: ledger.server.secrets, env: { LEDGER_CHECKPOINT_INTERVAL: '1' } });
    const processId = await competentProcess(restarted, callersFor(restarted));
    expect((await post(restarted, `/v1/enrollments/${processId}/certificate`, callersFor(restarted).certifier, {})).status).toBe(201);
    const head = await ledger.store.headPosition();
    await eventually(async () => {
      const checkpoint = await latestCheckpoint(restarted!);
      return checkpoint.status === 200 && checkpoint.text.split('\n')[1] === String(head + 1n) ? true : undefined;
    });
    // The ledger's own check cannot tell: the tree and every checkpoint it now keeps agree with the rewritten log.
    expect((await verify()).code).toBe(0);
    // The auditor's saved checkpoint can.
    const after = await audit(restarted);
    expect(after.code).toBe(1);
    expect(after.stderr).toContain("the log's history was rewritten");
    const savedSize = Number(saved.split('\n')[1]);
    if (/^FORK: the log now keeps another checkpoint of \d+ leaves/m.test(after.stdout)) {
      // The new history happened to be signed at the saved size too; an operator hiding the fork deletes that one as well.
      await superuser.query('DELETE FROM read_models.log_checkpoints WHERE tree_size = $1', [savedSize]);
    }
    const consistency = await audit(restarted);
    expect(consistency.code).toBe(1);
    expect(consistency.stdout).toMatch(new RegExp(`^FORK: the tree of \\d+ leaves signed now does not extend the tree of ${savedSize} saved`, 'm'));
    // The evidence is kept: the saved checkpoint is left as it was.
    expect(readFileSync(savedCheckpoint, 'utf8')).toBe(saved);
  });
});
