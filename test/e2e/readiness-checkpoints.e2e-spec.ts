import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { DEFAULT_LOG_ORIGIN } from '@ledger/platform';
import { CheckpointSigner, lastSignedCheckpointFile, ledgerProjections, ProjectionRunner } from '@ledger/projections';
import { formatSignerKey, generateNoteKey, hashLeaf, signCheckpoint, type NoteSignerKey } from '@ledger/verifiable-log';
import { type Pool } from 'pg';
import { testPool } from '../support/test-pool';
import request from 'supertest';
import { eventually } from '../support/eventually';
import { callersFor, post } from './support/ledger-client';
import { POSTGRES_MODE, type LedgerUnderTest } from './support/ledger-modes';
import { temporaryDataDir } from './support/ledger-server';
import { SyntheticLedger, type StreamAppend } from '@ledger/projections/testing';

/**
 * Readiness holds the verifiable log's checkpoints to account: a signer that
 * refuses to sign (here: the data folder keeps a checkpoint of another
 * history, signed by the same key) takes the instance out of service at once,
 * with the reason; a tree that grows past its last checkpoint while nobody
 * signs (the projector elsewhere, its signer gone) does once the bound,
 * LEDGER_READY_MAX_UNSIGNED (here 10 s; by default max(3 ×
 * LEDGER_CHECKPOINT_INTERVAL, 30 s)), has passed since the last signing,
 * and not before. Each answers 200 again once checkpoints are
 * signed.
 */
const BOUND_SECONDS = 10;

describe('readiness and the checkpoints of the verifiable log', () => {
  describe('a signer in the ledger that refuses to sign', () => {
    let ledger: LedgerUnderTest;
    let data: ReturnType<typeof temporaryDataDir>;

    beforeAll(async () => {
      data = temporaryDataDir();
      const key = generateNoteKey(DEFAULT_LOG_ORIGIN);
      // The data folder is another ledger's (say a staging copy given the same key): it remembers signing a tree of one leaf that is not this log's.
      const file = lastSignedCheckpointFile(data.dir);
      mkdirSync(dirname(file), { recursive: true });
      writeFileSync(file, signCheckpoint({ origin: DEFAULT_LOG_ORIGIN, treeSize: 1, rootHash: hashLeaf(Buffer.from('another history')), extensionLines: [] }, [key]));
      ledger = await POSTGRES_MODE.start({
        databasePrefix: 'readiness_refusal',
        server: { dataDir: data.dir, env: { LEDGER_LOG_KEY: formatSignerKey(key), LEDGER_CHECKPOINT_INTERVAL: '1', LOG_LEVEL: 'info' } },
      });
    });

    afterAll(async () => {
      await ledger?.stop();
      data?.remove();
    });

    it('answers 503 naming the refusal as soon as the tree forks from the last checkpoint, and 200 once it is resolved', async () => {
      const { server } = ledger;
      const callers = callersFor(server);
      expect((await post(server, '/v1/standards', callers.authority, { code: 'EC0105', version: '01', title: 'Atención al ciudadano', validityYears: 5 })).status).toBe(201);

      const refused = await eventually(async () => {
        const response = await request(server.baseUrl).get('/health/ready');
        return response.status === 503 && response.body.reasons.some((reason: string) => reason.startsWith('checkpoints:')) ? response : undefined;
      });
      expect(refused.body).toMatchObject({ status: 'unavailable' });
      expect(refused.body.reasons).toEqual([
        'checkpoints: the signer refuses to sign: the tree of 1 leaves has another root than the checkpoint signed at that size; ' +
          'no checkpoint is signed until an operator resolves it (npm run ledger -- verify)',
      ]);
      // The projections themselves are fine; commands are still taken.
      expect(refused.body.projections.every((projection: { lagSeconds: number; parked: number }) => projection.parked === 0)).toBe(true);
      expect((await request(server.baseUrl).get('/health')).status).toBe(200);
      expect(server.output()).toMatch(/refusing to sign a checkpoint: the tree of 1 leaves has another root/);
      await eventually(async () => (/Read side not ready: checkpoints: the signer refuses to sign/.test(server.output()) ? true : undefined), 25_000);

      // The operator finds the data folder is not this ledger's and gives it its own, which holds no checkpoint yet: the signer signs this tree.
      // (Had the database been restored instead, the remedy would be the events, never the file: see the README.)
      rmSync(lastSignedCheckpointFile(data.dir));
      const ready = await eventually(async () => {
        const response = await request(server.baseUrl).get('/health/ready');
        return response.status === 200 ? response : undefined;
      });
      expect(ready.body).toMatchObject({ status: 'ready', reasons: [] });
      const checkpoint = await request(server.baseUrl).get('/v1/log/checkpoint');
      expect(checkpoint.status).toBe(200);
      expect(checkpoint.text.split('\n')[1]).toBe('1');
    }, 90_000);
  });

  describe('a tree nobody signs (the projector elsewhere)', () => {
    let ledger: LedgerUnderTest;
    let key: NoteSignerKey;
    let pool: Pool;
    let runner: ProjectionRunner | undefined;
    let signer: CheckpointSigner | undefined;
    let signerData: ReturnType<typeof temporaryDataDir>;
    /** Events recorded years ago (the synthetic ledger's clock): only the last signing can vouch for the signer. */
    let old: Iterator<StreamAppend>;

    beforeAll(async () => {
      key = generateNoteKey(DEFAULT_LOG_ORIGIN);
      ledger = await POSTGRES_MODE.start({
        databasePrefix: 'readiness_stall',
        server: { env: { LEDGER_PROJECTOR: 'off', LEDGER_LOG_KEY: formatSignerKey(key), LEDGER_READY_MAX_UNSIGNED: String(BOUND_SECONDS) } },
      });
      pool = testPool({ connectionString: await ledger.postgresUrl(), max: 1 });
      signerData = temporaryDataDir();
      old = new SyntheticLedger({ people: 1, seed: 5 }).appends();
    });

    afterAll(async () => {
      await signer?.stop();
      await runner?.stop();
      await pool?.end();
      await ledger?.stop();
      signerData?.remove();
    });

    async function appendOld(count: number): Promise<void> {
      for (let n = 0; n < count; n += 1) {
        const { streamId, events } = old.next().value as StreamAppend;
        await ledger.store.appendToStream(streamId, events, { expectedRevision: 'any' });
      }
    }

    async function lowestCheckpoint(): Promise<bigint> {
      const { rows } = await pool.query<{ lowest: string }>(`SELECT min(checkpoint)::text AS lowest FROM read_models.projection_generations WHERE status = 'active'`);
      return BigInt(rows[0]?.lowest ?? '-1');
    }

    async function treeSize(): Promise<number> {
      const { rows } = await pool.query<{ tree_size: string }>('SELECT tree_size::text FROM read_models.log_edge WHERE id = 1');
      return rows[0] ? Number(rows[0].tree_size) : 0;
    }

    /** The signer apps/projector runs beside its projections. */
    function startSigner(url: string): CheckpointSigner {
      const started = new CheckpointSigner({ connectionString: url, signer: key, intervalMs: 1_000, lastSignedFile: lastSignedCheckpointFile(signerData.dir) });
      started.start();
      return started;
    }

    async function readiness(): Promise<request.Response> {
      return request(ledger.server.baseUrl).get('/health/ready');
    }

    it('answers 503 once the tree has gone unsigned past the bound, counted from the last signing, and 200 when a signer signs again', async () => {
      const url = await ledger.postgresUrl();
      await appendOld(3);
      runner = new ProjectionRunner({ connectionString: url, store: ledger.store, projections: ledgerProjections });
      await runner.start();

      // Folded, but never signed: its events were recorded long before the bound.
      const unsigned = await eventually(async () => {
        const response = await readiness();
        return response.status === 503 && response.body.reasons.length === 1 && response.body.reasons[0].startsWith('checkpoints:') ? response : undefined;
      });
      expect(unsigned.body.reasons[0]).toMatch(/^checkpoints: the tree has 3 leaves no checkpoint covers \(none signed yet; the first of them was recorded \d+ s ago; the bound is 10 s\)$/);
      expect(unsigned.body.projections.every((projection: { lagSeconds: number }) => projection.lagSeconds === 0)).toBe(true);

      signer = startSigner(url);
      const signed = await eventually(async () => {
        const response = await readiness();
        return response.status === 200 ? response : undefined;
      });
      expect(signed.body).toMatchObject({ status: 'ready', reasons: [] });

      // The signer goes away; one more (old) event is folded. Signed moments ago: not a stall yet.
      await signer.stop();
      signer = undefined;
      await appendOld(1);
      // Every projection has folded it (the read models, too: an old event they have not folded yet is lag).
      const head = await ledger.store.headPosition();
      await eventually(async () => ((await treeSize()) === 4 && (await lowestCheckpoint()) >= head ? true : undefined));
      expect((await readiness()).status).toBe(200);

      // Past the bound since the last signing, it is.
      const stalled = await eventually(async () => {
        const response = await readiness();
        return response.status === 503 ? response : undefined;
      }, 60_000, 500);
      expect(stalled.body.reasons).toEqual([expect.stringMatching(/^checkpoints: the tree has 1 leaf the last checkpoint \(size 3, signed \d+ s ago\) does not cover \(the bound is 10 s\)$/)]);
      const [, seconds] = /signed (\d+) s ago/.exec(stalled.body.reasons[0])!;
      expect(Number(seconds)).toBeGreaterThanOrEqual(BOUND_SECONDS);

      signer = startSigner(url);
      const again = await eventually(async () => {
        const response = await readiness();
        return response.status === 200 ? response : undefined;
      });
      expect(again.body).toMatchObject({ status: 'ready', reasons: [] });
    }, 120_000);
  });
});
