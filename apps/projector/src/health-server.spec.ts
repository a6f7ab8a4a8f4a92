import type { Server } from 'node:http';
import { freePort } from '@ledger/platform';
import { startHealthServer } from './health-server';

describe('the projector’s health server', () => {
  let server: Server;
  let base: string;
  let healthy = true;

  beforeAll(async () => {
    const port = await freePort();
    server = await startHealthServer(port, { healthy: () => healthy, feeding: () => 3 });
    base = `http://127.0.0.1:${port}`;
  });
  afterAll(async () => new Promise((resolve) => server.close(resolve)));

  it('answers 200 while healthy and 503 once not, on GET and HEAD, with or without a query', async () => {
    healthy = true;
    expect(await (await fetch(`${base}/health`)).json()).toEqual({ status: 'ok', feeding: 3 });
    expect((await fetch(`${base}/health?probe=1&x=%00`)).status).toBe(200);
    const head = await fetch(`${base}/health`, { method: 'HEAD' });
    expect([head.status, await head.text()]).toEqual([200, '']);
    healthy = false;
    const down = await fetch(`${base}/health`);
    expect([down.status, await down.json()]).toEqual([503, { status: 'unavailable' }]);
  });

  it('serves nothing else: other paths 404, other methods 405, a huge path or a body changes nothing', async () => {
    healthy = true;
    expect((await fetch(`${base}/metrics`)).status).toBe(404);
    expect((await fetch(`${base}/health/../health`)).status).toBe(200); // fetch normalises the dot segments
    expect((await fetch(`${base}/${'h'.repeat(8_000)}`)).status).toBe(404);
    for (const method of ['POST', 'PUT', 'DELETE', 'PATCH']) {
      expect((await fetch(`${base}/health`, { method, body: 'x'.repeat(100_000) })).status).toBe(405);
    }
    expect((await fetch(`${base}/health`)).status).toBe(200);
  });
});
