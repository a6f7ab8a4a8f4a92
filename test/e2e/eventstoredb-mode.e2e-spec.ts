import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { EventStoreDbEventStore } from '@ledger/event-store';
import { post } from './support/ledger-client';
import { startLedgerServer, temporaryDataDir } from './support/ledger-server';
import { signToken } from './support/tokens';
import { eventually } from '../support/eventually';

const CONNECTION_LINE = /^esdb:\/\/127\.0\.0\.1:\d+\?tls=false$/m;

/**
 * EventStoreDB mode as the README starts it: `npm run esdb:test-server` in
 * one process, then `npm start` with EVENTSTORE_CONNECTION_STRING and nothing
 * else configured, so events go to EventStoreDB and the read models and
 * idempotency records to the embedded PostgreSQL. Every write-side check runs
 * in this mode too (write-side.e2e-spec.ts, with the test server in-process);
 * this suite is the path through the two npm scripts.
 */
describe('EventStoreDB mode through npm start', () => {
  let esdb: ChildProcess;
  let connectionString: string;

  beforeAll(async () => {
    // Its own process group: npm does not pass a SIGTERM on to the script.
    esdb = spawn('npm', ['run', '--silent', 'esdb:test-server'], { cwd: resolve(__dirname, '../..'), stdio: ['ignore', 'pipe', 'inherit'], detached: true });
    connectionString = await new Promise<string>((resolveLine, reject) => {
      let output = '';
      esdb.stdout?.on('data', (chunk: Buffer) => {
        output += chunk.toString('utf8');
        const match = CONNECTION_LINE.exec(output);
        if (match) resolveLine(match[0]);
      });
      esdb.once('exit', (code) => reject(new Error(`npm run esdb:test-server exited with ${code}: ${output}`)));
    });
  });

  afterAll(async () => {
    if (esdb?.exitCode === null && esdb.signalCode === null) {
      const exited = new Promise((resolveExit) => esdb.once('exit', resolveExit));
      process.kill(-(esdb.pid as number), 'SIGTERM');
      await exited;
    }
  });

  it('starts with only EVENTSTORE_CONNECTION_STRING, writes events to EventStoreDB and replays an Idempotency-Key', async () => {
    const data = temporaryDataDir();
    const store = EventStoreDbEventStore.fromConnectionString(connectionString);
    try {
      const server = await startLedgerServer({ viaNpmStart: true, dataDir: data.dir, secretsFromDataDir: true, env: { EVENTSTORE_CONNECTION_STRING: connectionString } });
      try {
        // No DATABASE_URL: the ledger made its own PostgreSQL under the data folder.
        expect(existsSync(join(data.dir, 'postgres', 'cluster', 'PG_VERSION'))).toBe(true);
        const tokenKey = readFileSync(join(data.dir, 'secrets', 'token.key'), 'utf8').trim();
        const authority = `Bearer ${signToken(tokenKey, { sub: 'conocer-admin', role: 'authority', org: 'CONOCER' })}`;
        const body = { code: 'EC0076', version: '01', title: 'Evaluación de la competencia de candidatos', validityYears: 3 };
        const registered = await post(server, '/v1/standards', authority, body, { 'Idempotency-Key': 'ec0076' });
        expect(registered.status).toBe(201);
        const replayed = await post(server, '/v1/standards', authority, body, { 'Idempotency-Key': 'ec0076' });
        expect(replayed.status).toBe(201);
        expect(replayed.body).toEqual(registered.body);
        expect(replayed.headers['idempotent-replayed']).toBe('true');
        const events = await store.readStream('standard-EC0076');
        expect(events.map((event) => [event.type, event.position.toString()])).toEqual([['StandardRegistered', registered.body.position]]);
      } finally {
        await server.kill('SIGTERM');
      }
      // The embedded PostgreSQL was stopped cleanly with the ledger: its lock file is gone.
      await waitFor(() => !existsSync(join(data.dir, 'postgres', 'cluster', 'postmaster.pid')), 10_000);
    } finally {
      await store.close();
      data.remove();
    }
  });
});

async function waitFor(condition: () => boolean, timeoutMs: number): Promise<void> {
  await eventually(condition, timeoutMs, 100);
}
