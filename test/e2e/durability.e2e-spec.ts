import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { PostgresEventStore } from '@ledger/event-store';
import request from 'supertest';
import { createTestDatabase } from '../support/test-database';
import { callersFor, post } from './support/ledger-client';
import { newSecrets, runCli, startLedgerServer, temporaryDataDir } from './support/ledger-server';
import { eventually } from '../support/eventually';

/**
 * An acknowledged command survives the process dying at once (SIGKILL: no
 * shutdown hook runs), in external and in embedded mode.
 */
describe('durability', () => {
  it('keeps an acknowledged command across a SIGKILL (external PostgreSQL)', async () => {
    const database = await createTestDatabase('durability');
    const data = temporaryDataDir();
    const secrets = newSecrets();
    const store = new PostgresEventStore(database.url);
    try {
      const first = await startLedgerServer({ databaseUrl: database.url, dataDir: data.dir, secrets });
      const { authority } = callersFor(first);
      const body = { code: 'EC0105', version: '01', title: 'Atención al ciudadano en el sector público', validityYears: 5 };
      const acknowledged = await post(first, '/v1/standards', authority, body, { 'Idempotency-Key': 'register-ec0105' });
      expect(acknowledged.status).toBe(201);
      await first.kill('SIGKILL');

      const second = await startLedgerServer({ databaseUrl: database.url, dataDir: data.dir, secrets });
      try {
        const replayed = await post(second, '/v1/standards', authority, body, { 'Idempotency-Key': 'register-ec0105' });
        expect(replayed.status).toBe(201);
        expect(replayed.body).toEqual(acknowledged.body);
        expect(replayed.headers['idempotent-replayed']).toBe('true');
        const events = await store.readStream('standard-EC0105');
        expect(events.map((event) => [event.type, event.position.toString()])).toEqual([['StandardRegistered', acknowledged.body.position]]);
      } finally {
        // A graceful stop finishes cleanly.
        expect(await second.kill('SIGTERM')).toBe(0);
      }
    } finally {
      await store.close();
      await database.drop();
      data.remove();
    }
  });

  it('starts with `npm start` and no configuration (embedded PostgreSQL), shares its key with the CLI, and restarts after a SIGKILL', async () => {
    const data = temporaryDataDir();
    try {
      const first = await startLedgerServer({ viaNpmStart: true, dataDir: data.dir, secretsFromDataDir: true });
      expect((await request(first.baseUrl).get('/health')).body).toEqual({ status: 'ok' });
      for (const file of ['token.key', 'subject.key', 'folio.key']) {
        expect(statSync(join(data.dir, 'secrets', file)).mode & 0o777).toBe(0o600);
      }
      const cli = await runCli(['token', '--role', 'authority', '--org', 'CONOCER', '--sub', 'conocer-admin', '--ttl', '10m'], { LEDGER_DATA_DIR: data.dir });
      expect(cli.code).toBe(0);
      const token = cli.stdout.trim().split('\n').at(-1) as string;
      expect(token.split('.')).toHaveLength(3);
      const body = { code: 'EC0076', version: '01', title: 'Evaluación de la competencia de candidatos', validityYears: 3 };
      const acknowledged = await post(first, '/v1/standards', `Bearer ${token}`, body, { 'Idempotency-Key': 'ec0076' });
      expect(acknowledged.status).toBe(201);
      await first.kill('SIGKILL');

      const second = await startLedgerServer({ viaNpmStart: true, dataDir: data.dir, secretsFromDataDir: true });
      try {
        const replayed = await post(second, '/v1/standards', `Bearer ${token}`, body, { 'Idempotency-Key': 'ec0076' });
        expect(replayed.status).toBe(201);
        expect(replayed.body).toEqual(acknowledged.body);
        const again = await post(second, '/v1/standards', `Bearer ${token}`, body);
        expect(again.status).toBe(409);
        expect(again.body.code).toBe('STANDARD_ALREADY_REGISTERED');
      } finally {
        await second.kill('SIGTERM');
      }
      // The embedded PostgreSQL was stopped cleanly: its lock file is gone.
      await waitFor(() => !existsSync(join(data.dir, 'postgres', 'cluster', 'postmaster.pid')), 10_000);
    } finally {
      data.remove();
    }
  });
});

async function waitFor(condition: () => boolean, timeoutMs: number): Promise<void> {
  await eventually(condition, timeoutMs, 100);
}
