import { createServer, type Server } from 'node:http';

/** What the health answer says of the projector. */
export interface ProjectorHealth {
  /** Running, and its last look at the database succeeded. */
  healthy(): boolean;
  /** Generations this process feeds (0 for a standby, which is healthy too). */
  feeding(): number;
}

/**
 * GET /health for an orchestrator (the compose file's health check, a
 * Kubernetes probe): 200 `{"status":"ok","feeding":N}` while the projector
 * runs and reaches its database, 503 `{"status":"unavailable"}` otherwise;
 * 404 for any other path, 405 for any other method. Nothing else is served.
 */
export function startHealthServer(port: number, health: ProjectorHealth): Promise<Server> {
  const server = createServer((request, response) => {
    const path = (request.url ?? '').split('?')[0];
    const answer = (status: number, body: unknown) => {
      const text = JSON.stringify(body);
      response.writeHead(status, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(text), 'Cache-Control': 'no-store' });
      response.end(request.method === 'HEAD' ? undefined : text);
    };
    if (path !== '/health') return answer(404, { status: 'not found' });
    if (request.method !== 'GET' && request.method !== 'HEAD') return answer(405, { status: 'method not allowed' });
    return health.healthy() ? answer(200, { status: 'ok', feeding: health.feeding() }) : answer(503, { status: 'unavailable' });
  });
  // A probe that stalls gets cut off rather than holding a socket.
  server.requestTimeout = 5_000;
  server.headersTimeout = 5_000;
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, () => resolve(server));
  });
}
