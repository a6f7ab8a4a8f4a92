import { get } from 'node:http';
import { comparable, fetchAnswer, type Answer } from '../e2e/support/http-answers';
import { logLeafHashOf, type EventStore, type RecordedEvent } from '@ledger/event-store';
import { inclusionProofOfLeafHashes, openCheckpoint, parseVerifierKey, verifyInclusion, type Checkpoint, type NoteVerifierKey } from '@ledger/verifiable-log';
import { callersFor, competentProcess, post, seedReferenceData, type Callers } from '../e2e/support/ledger-client';
import { eventStoreDbMode, POSTGRES_MODE, type LedgerMode, type LedgerUnderTest } from '../e2e/support/ledger-modes';
import type { LedgerServer } from '../e2e/support/ledger-server';
import { eventually } from '../support/eventually';

function call(server: LedgerServer, path: string, headers: Record<string, string> = {}): Promise<Answer> {
  return fetchAnswer(server.baseUrl, path, headers);
}

/**
 * Inclusion proofs over HTTP as the ledger serves them from its proof cache
 * (ahead of Express, the cache answering without a query), on both event
 * stores: each answer is the one Nest's controller gives for the same
 * request (reached here through a spelling the fast path leaves alone, a
 * trailing slash, which Nest routes to the same handler), every header
 * included, and each proof is the proof of the store's own leaves in the
 * signed tree; what the cache cannot vouch for (a position of no event, a
 * tree past the log's, a malformed query) is answered as it always was; and
 * the log growing under the cache is followed.
 */
describe.each<LedgerMode>([POSTGRES_MODE, eventStoreDbMode('DATABASE_URL')])('inclusion proofs from the proof cache: $name', (mode) => {
  let ledger: LedgerUnderTest;
  let server: LedgerServer;
  let store: EventStore;
  let callers: Callers;
  let verifier: NoteVerifierKey;

  beforeAll(async () => {
    // LOG_LEVEL=info: Nest writes a line per request it answers, the fast path none, which tells them apart.
    ledger = await mode.start({ databasePrefix: 'proof_cache', server: { env: { LEDGER_CHECKPOINT_INTERVAL: '1', LOG_LEVEL: 'info' } } });
    ({ server, store } = ledger);
    callers = callersFor(server);
    await seedReferenceData(server, callers);
    for (let n = 0; n < 2; n += 1) {
      const processId = await competentProcess(server, callers);
      expect((await post(server, `/v1/enrollments/${processId}/certificate`, callers.certifier, { issuedAt: '2018-11-13T18:00:00Z' })).status).toBe(201);
    }
    verifier = parseVerifierKey((await call(server, '/v1/log/key')).text.trim());
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

  /** The latest checkpoint once it covers every event written so far. */
  async function checkpointOfWholeLog(): Promise<{ checkpoint: Checkpoint; events: RecordedEvent[] }> {
    const events = await allEvents();
    return eventually(async () => {
      const answer = await call(server, '/v1/log/checkpoint');
      if (answer.status !== 200) return undefined;
      const { checkpoint } = openCheckpoint(answer.text, { origin: verifier.name, verifiers: [verifier] });
      return checkpoint.treeSize === events.length ? { checkpoint, events } : undefined;
    });
  }

  function expectProofOf(answer: Answer, events: RecordedEvent[], leafIndex: number, checkpoint: { treeSize: number; rootHash: Buffer }): void {
    const leafHashes = events.map(logLeafHashOf);
    const proof = JSON.parse(answer.text) as { position: string; leafIndex: number; treeSize: number; leafHash: string; hashes: string[] };
    expect(proof).toEqual({
      position: String(events[leafIndex].position),
      leafIndex,
      treeSize: checkpoint.treeSize,
      leafHash: leafHashes[leafIndex].toString('base64'),
      hashes: inclusionProofOfLeafHashes(leafHashes, leafIndex, checkpoint.treeSize).map((hash) => hash.toString('base64')),
    });
    const verdict = verifyInclusion({
      leafIndex,
      treeSize: checkpoint.treeSize,
      leafHash: leafHashes[leafIndex],
      proof: proof.hashes.map((hash) => Buffer.from(hash, 'base64')),
      rootHash: checkpoint.rootHash,
    });
    expect(verdict).toEqual({ valid: true });
  }

  it('answers every event’s proof as the controller does, header for header, and each proves the store’s own leaf in the signed root', async () => {
    const { checkpoint, events } = await checkpointOfWholeLog();
    for (const [leafIndex, event] of events.entries()) {
      const fast = await call(server, `/v1/log/proofs/inclusion?position=${event.position}`, { 'X-Correlation-Id': `cache-fast-${leafIndex}` });
      const routed = await call(server, `/v1/log/proofs/inclusion/?position=${event.position}`, { 'X-Correlation-Id': `cache-nest-${leafIndex}` });
      expect({ leafIndex, fast: fast.status, routed: routed.status }).toEqual({ leafIndex, fast: 200, routed: 200 });
      expect(fast.text).toBe(routed.text);
      expect(comparable(fast)).toEqual(comparable(routed));
      expect(fast.headers.get('x-correlation-id')).toBe(`cache-fast-${leafIndex}`);
      expectProofOf(fast, events, leafIndex, checkpoint);
    }
    expect(comparable(await call(server, `/v1/log/proofs/inclusion?position=${events[3].position}`))).toMatchObject({
      'cache-control': 'no-cache',
      'content-type': 'application/json; charset=utf-8',
      'x-content-type-options': 'nosniff',
      'x-frame-options': 'DENY',
      etag: expect.stringMatching(/^W\/"/),
    });
    // Nest logged the requests it answered; the fast path answered the others, and logs none.
    const output = () => server.output();
    await eventually(async () => (output().includes(`"correlationId":"cache-nest-${events.length - 1}"`) ? true : undefined));
    expect(output()).not.toContain('"correlationId":"cache-fast-');
  });

  it('proves leaves asked by index in an earlier signed tree, and answers a conditional request 304 with the same ETag', async () => {
    const { checkpoint, events } = await checkpointOfWholeLog();
    const older = Math.max(1, checkpoint.treeSize - 7);
    const signed = await call(server, `/v1/log/checkpoints/${older}`);
    const olderCheckpoint = signed.status === 200 ? openCheckpoint(signed.text, { origin: verifier.name, verifiers: [verifier] }).checkpoint : undefined;
    for (const leafIndex of [0, older - 1, Math.floor(older / 2)]) {
      const fast = await call(server, `/v1/log/proofs/inclusion?leafIndex=${leafIndex}&treeSize=${older}`);
      expect(fast.status).toBe(200);
      expect(fast.text).toBe((await call(server, `/v1/log/proofs/inclusion/?leafIndex=${leafIndex}&treeSize=${older}`)).text);
      const proof = JSON.parse(fast.text) as { hashes: string[]; leafHash: string };
      expect(proof.hashes).toEqual(inclusionProofOfLeafHashes(events.map(logLeafHashOf), leafIndex, older).map((hash) => hash.toString('base64')));
      if (olderCheckpoint) {
        const verdict = verifyInclusion({ leafIndex, treeSize: older, leafHash: Buffer.from(proof.leafHash, 'base64'), proof: proof.hashes.map((hash) => Buffer.from(hash, 'base64')), rootHash: olderCheckpoint.rootHash });
        expect(verdict).toEqual({ valid: true });
      }
    }
    const path = `/v1/log/proofs/inclusion?position=${events[1].position}`;
    const etag = (await call(server, path)).headers.get('etag') as string;
    // (fetch would add Cache-Control: no-cache to a conditional request, and Express then answers in full.)
    const status = await new Promise<number | undefined>((resolve, reject) => {
      get(`${server.baseUrl}${path}`, { headers: { 'If-None-Match': etag } }, (response) => {
        response.resume();
        response.on('end', () => resolve(response.statusCode));
      }).on('error', reject);
    });
    expect(status).toBe(304);
  });

  it('answers what the cache cannot vouch for as before: no event there, a tree past the log’s, malformed queries', async () => {
    const { checkpoint, events } = await checkpointOfWholeLog();
    const last = events[events.length - 1].position;
    // On EventStoreDB positions are sparse: the one before an event's is (almost always) no event's.
    const gap = events.map((event) => event.position - 1n).find((position, index) => index > 0 && position > events[index - 1].position);
    const cases: [string, number, string, string?][] = [
      [`/v1/log/proofs/inclusion?position=${last + 1_000_000n}`, 404, 'LEAF_NOT_FOUND'],
      [`/v1/log/proofs/inclusion?leafIndex=${events.length}`, 404, 'LEAF_NOT_FOUND'],
      [`/v1/log/proofs/inclusion?position=${events[0].position}&treeSize=${checkpoint.treeSize + 1_000}`, 400, 'VALIDATION_FAILED', 'treeSize'],
      [`/v1/log/proofs/inclusion?position=${last}&treeSize=1`, 400, 'VALIDATION_FAILED', 'treeSize'],
      [`/v1/log/proofs/inclusion?position=${events[0].position}&leafIndex=0`, 400, 'VALIDATION_FAILED', 'position'],
      ['/v1/log/proofs/inclusion?position=01', 400, 'VALIDATION_FAILED', 'position'],
      ['/v1/log/proofs/inclusion?position=1&sort=1', 400, 'VALIDATION_FAILED', 'sort'],
      ...(gap === undefined ? [] : ([[`/v1/log/proofs/inclusion?position=${gap}`, 404, 'LEAF_NOT_FOUND']] as [string, number, string][])),
    ];
    for (const [path, status, code, field] of cases) {
      const answer = await call(server, path);
      expect({ path, status: answer.status }).toEqual({ path, status });
      expect(answer.headers.get('content-type')).toContain('application/problem+json');
      const problem = JSON.parse(answer.text) as { code: string; errors?: { field: string }[] };
      expect({ path, code: problem.code }).toEqual({ path, code });
      if (field) expect(problem.errors?.map((error) => error.field)).toContain(field);
      expect(answer.headers.get('x-frame-options')).toBe('DENY');
    }
  });

  it('follows the log as it grows: proofs of new events in the new checkpoint’s tree by default', async () => {
    const before = await checkpointOfWholeLog();
    const processId = await competentProcess(server, callers);
    expect((await post(server, `/v1/enrollments/${processId}/certificate`, callers.certifier, { issuedAt: '2018-11-13T18:00:00Z' })).status).toBe(201);
    const { checkpoint, events } = await checkpointOfWholeLog();
    expect(checkpoint.treeSize).toBeGreaterThan(before.checkpoint.treeSize);
    for (const leafIndex of [0, before.events.length - 1, before.events.length, events.length - 1]) {
      const answer = await call(server, `/v1/log/proofs/inclusion?position=${events[leafIndex].position}`);
      expect(answer.status).toBe(200);
      expectProofOf(answer, events, leafIndex, checkpoint);
    }
  });
});

describe('the public rate limit, over inclusion proofs answered from the cache and by Nest alike', () => {
  let ledger: LedgerUnderTest;

  beforeAll(async () => {
    ledger = await POSTGRES_MODE.start({ databasePrefix: 'proof_cache_limit', server: { env: { LEDGER_CHECKPOINT_INTERVAL: '1', LEDGER_RATE_LIMIT: '30' } } });
    const callers = callersFor(ledger.server);
    await seedReferenceData(ledger.server, callers);
    // A checkpoint of every event (PostgreSQL's positions are dense), asked with a token so that nothing is counted before the test.
    const leaves = String((await ledger.store.headPosition()) + 1n);
    await eventually(async () => {
      const answer = await call(ledger.server, '/v1/log/checkpoint', { Authorization: callers.comptroller });
      return answer.status === 200 && answer.text.split('\n')[1] === leaves ? true : undefined;
    });
  });

  afterAll(async () => {
    await ledger?.stop();
  });

  it('counts each request once, whichever answers it, and refuses past the budget with Nest’s 429', async () => {
    const statuses: number[] = [];
    let refused: Answer | undefined;
    for (let n = 0; n < 32; n += 1) {
      const answer = await call(ledger.server, n % 2 === 0 ? '/v1/log/proofs/inclusion?leafIndex=0' : '/v1/log/proofs/inclusion/?leafIndex=0');
      statuses.push(answer.status);
      if (answer.status === 200) expect(answer.headers.get('ratelimit-policy')).toBe('30;w=60');
      if (answer.status === 429) refused ??= answer;
    }
    expect(statuses).toEqual([...Array.from({ length: 30 }, () => 200), 429, 429]);
    expect(refused?.headers.get('content-type')).toContain('application/problem+json');
    expect(JSON.parse(refused!.text)).toMatchObject({ status: 429, code: 'RATE_LIMITED' });
    expect(Number(refused!.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    // With a valid token a caller is never counted, on the fast path either.
    const token = callersFor(ledger.server).comptroller;
    const known = await Promise.all(Array.from({ length: 10 }, () => call(ledger.server, '/v1/log/proofs/inclusion?leafIndex=0', { Authorization: token })));
    expect(new Set(known.map((answer) => answer.status))).toEqual(new Set([200]));
    expect(known[0].headers.get('cache-control')).toBe('no-store');
  });
});
