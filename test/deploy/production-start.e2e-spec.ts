import request from 'supertest';
import { freePort } from '@ledger/platform';
import { eventually } from '../support/eventually';
import { createTestDatabase } from '../support/test-database';
import { startLedgerServer, temporaryDataDir, type LedgerServer } from '../e2e/support/ledger-server';
import { startProjector, type ProjectorProcess } from '../read-side/support/projector-process';

/**
 * The production start: `npm run start:prod` runs the ledger compiled into
 * dist/ by plain node (no ts-node), in embedded mode as a newcomer would, and
 * serves the API, the console's files and /metrics; the compiled projector,
 * with PROJECTOR_HEALTH_PORT, answers the health check the compose file
 * gives it. (The suite's global setup ran `npm run build`.)
 */
describe('the production start (npm run build, then start:prod)', () => {
  let server: LedgerServer | undefined;
  let projector: ProjectorProcess | undefined;
  const data = temporaryDataDir();

  afterAll(async () => {
    await projector?.kill('SIGTERM');
    await server?.kill();
    data.remove();
  });

  it('serves the API, the pages and the metrics from dist/', async () => {
    server = await startLedgerServer({ viaNpmStart: 'start:prod', dataDir: data.dir });
    expect((await request(server.baseUrl).get('/health')).body).toEqual({ status: 'ok' });
    const page = await request(server.baseUrl).get('/console');
    expect(page.status).toBe(200);
    expect(page.text).toContain('/console/console.js');
    expect((await request(server.baseUrl).get('/console/log-proof.js')).status).toBe(200);
    expect((await request(server.baseUrl).get('/metrics')).text).toContain('# TYPE http_request_duration_seconds histogram');
    expect((await request(server.baseUrl).get('/v1/certificates')).status).toBe(401);
  });

  it('starts the compiled projector, whose GET /health says it feeds the projections', async () => {
    const database = await createTestDatabase('projector_health');
    try {
      const port = await freePort();
      projector = startProjector(database.url, { PROJECTOR_HEALTH_PORT: String(port) });
      const health = await eventually(async () => {
        const answer = await fetch(`http://127.0.0.1:${port}/health`).then((response) => response.json().then((body) => ({ status: response.status, body })), () => undefined);
        return answer && answer.status === 200 && (answer.body as { feeding: number }).feeding > 0 ? answer : undefined;
      }, 60_000);
      expect(health.body).toEqual({ status: 'ok', feeding: expect.any(Number) });
      expect((await fetch(`http://127.0.0.1:${port}/other`)).status).toBe(404);
      expect((await fetch(`http://127.0.0.1:${port}/health`, { method: 'POST' })).status).toBe(405);
      await projector.kill('SIGTERM');
      projector = undefined;
      await expect(fetch(`http://127.0.0.1:${port}/health`)).rejects.toThrow();
    } finally {
      await projector?.kill('SIGKILL');
      await database.drop();
    }
  });
});
