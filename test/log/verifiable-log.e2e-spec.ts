import { logLeafHashOf, type EventStore, type RecordedEvent } from '@ledger/event-store';
import {
  consistencyProofOfLeafHashes,
  hashLeaf,
  openCheckpoint,
  parseVerifierKey,
  rootFromTiles,
  rootOfLeafHashes,
  tilePath,
  verifyConsistency,
  verifyInclusion,
  type Checkpoint,
  type NoteVerifierKey,
} from '@ledger/verifiable-log';
import request from 'supertest';
import { callersFor, competentProcess, post, seedReferenceData, type Callers } from '../e2e/support/ledger-client';
import { eventStoreDbMode, POSTGRES_MODE, type LedgerMode, type LedgerUnderTest } from '../e2e/support/ledger-modes';
import { runCli, type LedgerServer } from '../e2e/support/ledger-server';
import { eventually } from '../support/eventually';

/**
 * The verifiable log as an outside client sees it, on both event stores:
 * every event of the log is a leaf, the signed checkpoint's root is the root
 * of those leaves (recomputed here from the store, independently of the
 * ledger's tree), inclusion and consistency proofs verify, tiles give the
 * same root, and an entry's bytes hash to its leaf.
 */
describe.each<LedgerMode>([POSTGRES_MODE, eventStoreDbMode('DATABASE_URL')])('the verifiable log: $name', (mode) => {
  let ledger: LedgerUnderTest;
  let server: LedgerServer;
  let store: EventStore;
  let callers: Callers;
  let verifier: NoteVerifierKey;
  let origin: string;

  beforeAll(async () => {
    ledger = await mode.start({ databasePrefix: 'verifiable_log', server: { env: { LEDGER_CHECKPOINT_INTERVAL: '1' } } });
    ({ server, store } = ledger);
    callers = callersFor(server);
    await seedReferenceData(server, callers);
    for (let n = 0; n < 3; n += 1) {
      const processId = await competentProcess(server, callers);
      expect((await post(server, `/v1/enrollments/${processId}/certificate`, callers.certifier, { issuedAt: '2018-11-13T18:00:00Z' })).status).toBe(201);
    }
    const key = await request(server.baseUrl).get('/v1/log/key');
    expect(key.status).toBe(200);
    verifier = parseVerifierKey(key.text.trim());
    origin = verifier.name;
  });

  afterAll(async () => {
    await ledger?.stop();
  });

  async function allEvents(): Promise<RecordedEvent[]> {
    const events: RecordedEvent[] = [];
    for (let batch = await store.readAll({ maxCount: 500 }); batch.length > 0; batch = await store.readAll({ afterPosition: batch[batch.length - 1].position, maxCount: 500 })) {
      events.push(...batch);
    }
    return events;
  }

  /** The latest checkpoint once it covers every event written so far, checked against the log key. */
  async function checkpointOfWholeLog(): Promise<{ checkpoint: Checkpoint; events: RecordedEvent[]; note: string }> {
    const events = await allEvents();
    return eventually(async () => {
      const response = await request(server.baseUrl).get('/v1/log/checkpoint');
      if (response.status !== 200) return undefined;
      const { checkpoint } = openCheckpoint(response.text, { origin, verifiers: [verifier] });
      return checkpoint.treeSize === events.length ? { checkpoint, events, note: response.text } : undefined;
    });
  }

  it('signs a checkpoint whose root is the root of every event of the log, recomputed from the store', async () => {
    const { checkpoint, events, note } = await checkpointOfWholeLog();
    expect(checkpoint.rootHash).toEqual(rootOfLeafHashes(events.map(logLeafHashOf)));
    const latest = await request(server.baseUrl).get('/v1/log/checkpoint');
    expect(latest.headers['content-type']).toMatch(/^text\/plain/);
    const exact = await request(server.baseUrl).get(`/v1/log/checkpoints/${checkpoint.treeSize}`);
    expect(exact.text).toBe(note);
    expect(exact.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    const again = await request(server.baseUrl).get(`/v1/log/checkpoints/${checkpoint.treeSize}`).set('If-None-Match', exact.headers.etag);
    expect(again.status).toBe(304);
  });

  it('proves each event in the checkpoint’s tree, and its entry hashes to its leaf', async () => {
    const { checkpoint, events } = await checkpointOfWholeLog();
    for (const [leafIndex, event] of events.entries()) {
      const proof = await request(server.baseUrl).get('/v1/log/proofs/inclusion').query({ position: String(event.position) });
      expect(proof.status).toBe(200);
      expect(proof.body).toMatchObject({ position: String(event.position), leafIndex, treeSize: checkpoint.treeSize, leafHash: logLeafHashOf(event).toString('base64') });
      const verdict = verifyInclusion({
        leafIndex,
        treeSize: checkpoint.treeSize,
        leafHash: logLeafHashOf(event),
        proof: (proof.body.hashes as string[]).map((hash) => Buffer.from(hash, 'base64')),
        rootHash: checkpoint.rootHash,
      });
      expect(verdict).toEqual({ valid: true });
    }
    const last = events[events.length - 1];
    const entry = await request(server.baseUrl).get(`/v1/log/entries/${last.position}`).set('Authorization', callers.comptroller).buffer(true).parse((res, done) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => done(null, Buffer.concat(chunks)));
    });
    expect(entry.status).toBe(200);
    expect(hashLeaf(entry.body as Buffer)).toEqual(logLeafHashOf(last));
    expect((await request(server.baseUrl).get(`/v1/log/entries/${last.position}`)).status).toBe(401);
    expect((await request(server.baseUrl).get(`/v1/log/entries/${last.position}`).set('Authorization', callers.certifier)).status).toBe(403);
  });

  it('proves the tree only grew, and its tiles give the same root', async () => {
    const first = await checkpointOfWholeLog();
    const more = await competentProcess(server, callers);
    expect((await post(server, `/v1/enrollments/${more}/certificate`, callers.certifier, { issuedAt: '2018-11-13T18:00:00Z' })).status).toBe(201);
    const second = await checkpointOfWholeLog();
    expect(second.checkpoint.treeSize).toBeGreaterThan(first.checkpoint.treeSize);
    const proof = await request(server.baseUrl).get('/v1/log/proofs/consistency').query({ from: String(first.checkpoint.treeSize), to: String(second.checkpoint.treeSize) });
    expect(proof.status).toBe(200);
    const hashes = (proof.body.hashes as string[]).map((hash) => Buffer.from(hash, 'base64'));
    expect(hashes).toEqual(consistencyProofOfLeafHashes(second.events.map(logLeafHashOf), first.checkpoint.treeSize, second.checkpoint.treeSize));
    expect(verifyConsistency({ oldSize: first.checkpoint.treeSize, newSize: second.checkpoint.treeSize, oldRoot: first.checkpoint.rootHash, newRoot: second.checkpoint.rootHash, proof: hashes })).toEqual({ valid: true });

    const readTile = async (tile: Parameters<typeof tilePath>[0]) => {
      const response = await request(server.baseUrl).get(`/v1/log/${tilePath(tile)}`).buffer(true).parse((res, done) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => done(null, Buffer.concat(chunks)));
      });
      expect({ tile: tilePath(tile), status: response.status }).toEqual({ tile: tilePath(tile), status: 200 });
      expect(response.headers['content-type']).toBe('application/octet-stream');
      return response.body as Buffer;
    };
    expect(await rootFromTiles(second.checkpoint.treeSize, readTile)).toEqual(second.checkpoint.rootHash);
    // An older tree's tiles stay served: a client holding the first checkpoint gets its root too.
    expect(await rootFromTiles(first.checkpoint.treeSize, readTile)).toEqual(first.checkpoint.rootHash);
  });

  it('is held to account by the operator’s verify and the outside auditor’s audit, on this store', async () => {
    await checkpointOfWholeLog();
    const env = { DATABASE_URL: await ledger.postgresUrl(), LEDGER_DATA_DIR: server.dataDir, EVENTSTORE_CONNECTION_STRING: ledger.esdb?.connectionString ?? '' };
    const verified = await runCli(['verify', '--quiet'], env);
    expect(verified.stdout).toContain('the log, its tree and every signed checkpoint agree');
    expect(verified.code).toBe(0);
    // Leaves asked by index (EventStoreDB's positions are not): every one proven in the signed root and re-derived from its entry.
    const key = (await request(server.baseUrl).get('/v1/log/key')).text.trim();
    const audited = await runCli(['audit', '--url', server.baseUrl, '--key', key, '--all', '--quiet', '--token', callers.comptroller.replace(/^Bearer /, '')], { DATABASE_URL: '' });
    expect(audited.stdout).toMatch(/(\d+) of \1 leaves proven in the signed root and re-derived from their entries/);
    expect(audited.code).toBe(0);
  });

  it('answers malformed and out-of-range requests with problem+json naming the parameter', async () => {
    const { checkpoint, events } = await checkpointOfWholeLog();
    const first = String(events[0].position);
    const cases: [string, number, string?][] = [
      ['/v1/log/proofs/inclusion?position=9223372036854775808', 400, 'position'],
      [`/v1/log/proofs/inclusion?position=${first}&treeSize=99999999`, 400, 'treeSize'],
      [`/v1/log/proofs/inclusion?position=${first}&treeSize=0`, 400, 'treeSize'],
      [`/v1/log/proofs/inclusion?position=${first}&sort=1`, 400, 'sort'],
      [`/v1/log/proofs/consistency?from=${checkpoint.treeSize}&to=1`, 400, 'from'],
      ['/v1/log/proofs/consistency?from=0&to=1', 400, 'from'],
      ['/v1/log/proofs/consistency?from=1', 400, 'to'],
      ['/v1/log/checkpoints/01', 400, 'treeSize'],
      ['/v1/log/checkpoints/1e3', 400, 'treeSize'],
      ['/v1/log/checkpoints/9007199254740993', 400, 'treeSize'],
      ['/v1/log/checkpoint?treeSize=1', 400, 'treeSize'],
      ['/v1/log/tile/0/1', 400, 'path'],
      ['/v1/log/tile/0/x001/%00', 400],
      ['/v1/log/tile/9/000', 404],
      ['/v1/log/checkpoints/999999', 404],
      ['/v1/log/proofs/inclusion?position=999999999', 404],
      ['/v1/log/entries/abc', 401],
    ];
    for (const [path, status, field] of cases) {
      const response = await request(server.baseUrl).get(path);
      expect({ path, status: response.status }).toEqual({ path, status });
      expect(response.headers['content-type']).toContain('application/problem+json');
      if (field) expect((response.body.errors as { field: string }[]).map((error) => error.field)).toContain(field);
    }
  });
});
