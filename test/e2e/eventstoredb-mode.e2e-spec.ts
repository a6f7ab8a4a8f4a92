import { spawn, type ChildProcess } from 'node:child_process';
import { resolve } from 'node:path';
import { EventStoreDbEventStore } from '@ledger/event-store';
import { createTestDatabase } from '../support/test-database';
import { callersFor, competentProcess, post, seedReferenceData } from './support/ledger-client';
import { LedgerServer, startLedgerServer } from './support/ledger-server';

const CONNECTION_LINE = /^esdb:\/\/127\.0\.0\.1:\d+\?tls=false$/m;

/**
 * With EVENTSTORE_CONNECTION_STRING set, the same commands run on the
 * EventStoreDB adapter (here against the repository's in-memory gRPC test
 * server), PostgreSQL keeping only the ledger's own tables.
 */
describe('EventStoreDB mode', () => {
  let esdb: ChildProcess;
  let connectionString: string;
  let database: { url: string; drop: () => Promise<void> };
  let server: LedgerServer;
  let store: EventStoreDbEventStore;

  beforeAll(async () => {
    esdb = spawn(process.execPath, ['-r', 'ts-node/register/transpile-only', '-r', 'tsconfig-paths/register', 'libs/event-store/src/eventstoredb/test-server/main.ts'], {
      cwd: resolve(__dirname, '../..'),
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    connectionString = await new Promise<string>((resolveLine, reject) => {
      let output = '';
      esdb.stdout?.on('data', (chunk: Buffer) => {
        output += chunk.toString('utf8');
        const match = CONNECTION_LINE.exec(output);
        if (match) resolveLine(match[0]);
      });
      esdb.once('exit', (code) => reject(new Error(`EventStoreDB test server exited with ${code}: ${output}`)));
    });
    database = await createTestDatabase('esdb_mode');
    server = await startLedgerServer({ databaseUrl: database.url, env: { EVENTSTORE_CONNECTION_STRING: connectionString, LEDGER_PROJECTOR: 'off' } });
    store = EventStoreDbEventStore.fromConnectionString(connectionString);
  });

  afterAll(async () => {
    await store?.close();
    await server?.kill('SIGTERM');
    await database?.drop();
    esdb?.kill('SIGTERM');
  });

  it('certifies on EventStoreDB, one certificate for concurrent issuances, with idempotent replay', async () => {
    const callers = callersFor(server);
    await seedReferenceData(server, callers);
    const processId = await competentProcess(server, callers);
    const responses = await Promise.all(
      Array.from({ length: 10 }, () => post(server, `/v1/enrollments/${processId}/certificate`, callers.certifier, { issuedAt: '2018-11-13T17:00:00Z' })),
    );
    expect(responses.map((response) => response.status)).toEqual(Array(10).fill(201));
    expect(new Set(responses.map((response) => response.body.folio)).size).toBe(1);
    const events = await store.readStream(`certification-${processId}`);
    expect(events.map((event) => event.type)).toEqual(['CandidateEnrolled', 'EvaluationRecorded', 'CertificateIssued']);
    expect(events[2].metadata.actor.organizationId).toBe('ECE322-18');

    const body = { reason: 'Issued to the wrong person' };
    const revoked = await post(server, `/v1/certificates/${responses[0].body.folio}/revocation`, callers.certifier, body, { 'Idempotency-Key': 'revoke-1' });
    const replayed = await post(server, `/v1/certificates/${responses[0].body.folio}/revocation`, callers.certifier, body, { 'Idempotency-Key': 'revoke-1' });
    expect([revoked.status, replayed.status]).toEqual([201, 201]);
    expect(replayed.body).toEqual(revoked.body);
    expect((await store.readStream(`certification-${processId}`)).filter((event) => event.type === 'CertificateRevoked')).toHaveLength(1);
  });
});
