import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';

/**
 * The compose file cannot be started on machines without a Docker engine, so
 * this checks what `docker compose up` depends on: the four services, pinned
 * images, health checks, volumes, and the wiring between them.
 */
interface Service {
  image?: string;
  build?: unknown;
  command?: string[];
  environment?: Record<string, string>;
  healthcheck?: { test: string[] };
  volumes?: string[];
  depends_on?: Record<string, { condition: string }>;
}

const compose = parse(readFileSync(join(__dirname, '../../docker-compose.yml'), 'utf8')) as {
  services: Record<string, Service>;
  volumes: Record<string, unknown>;
};
const { eventstore, postgres, ledger, projector } = compose.services;

function hostOf(url: string): string {
  return new URL(url).hostname;
}

describe('docker-compose.yml', () => {
  it('runs EventStoreDB, PostgreSQL, the ledger and the projector', () => {
    expect(Object.keys(compose.services).sort()).toEqual(['eventstore', 'ledger', 'postgres', 'projector']);
  });

  it.each([
    ['eventstore', /^eventstore\/eventstore:\d+\.\d+\.\d+/],
    ['postgres', /^postgres:\d+\.\d+/],
  ])('pins the %s image to a version', (name, pattern) => {
    const image = compose.services[name].image ?? '';
    expect(image).toMatch(pattern);
    expect(image).not.toMatch(/:latest$/);
  });

  it('gives both servers and the ledger a health check and keeps their data in volumes', () => {
    for (const service of [eventstore, postgres, ledger]) {
      expect(service.healthcheck?.test.length).toBeGreaterThan(0);
    }
    expect(eventstore.environment).toMatchObject({ EVENTSTORE_CLUSTER_SIZE: '1', EVENTSTORE_INSECURE: 'true' });
    for (const [service, target] of [[eventstore, '/var/lib/eventstore'], [postgres, '/var/lib/postgresql/data']] as const) {
      const volume = service.volumes?.find((v) => v.endsWith(`:${target}`));
      expect(volume).toBeDefined();
      expect(compose.volumes).toHaveProperty(volume!.split(':')[0]);
    }
  });

  it('wires the ledger and the projector to EventStoreDB for events and PostgreSQL for read models', () => {
    for (const service of [ledger, projector]) {
      const env = service.environment ?? {};
      expect(env.EVENTSTORE_CONNECTION_STRING).toMatch(/^esdb:\/\//);
      expect(hostOf(env.EVENTSTORE_CONNECTION_STRING.replace('esdb://', 'http://'))).toBe('eventstore');
      expect(hostOf(env.DATABASE_URL)).toBe('postgres');
      expect(env.DATABASE_URL).toContain(`${postgres.environment?.POSTGRES_USER}:${postgres.environment?.POSTGRES_PASSWORD}@`);
      expect(new URL(env.DATABASE_URL).pathname).toBe(`/${postgres.environment?.POSTGRES_DB}`);
    }
    expect(ledger.environment?.LEDGER_PROJECTOR).toBe('off');
    expect(projector.command?.join(' ')).toContain('apps/projector');
  });

  it('starts the ledger only once both servers are healthy, and the projector after the ledger', () => {
    expect(ledger.depends_on).toEqual({
      eventstore: { condition: 'service_healthy' },
      postgres: { condition: 'service_healthy' },
    });
    expect(projector.depends_on?.ledger?.condition).toBe('service_healthy');
    expect(ledger.build).toBeDefined();
    expect(projector.image).toBe(ledger.image);
  });

  it('checks the projector’s health on the port it serves it on, and runs both from the compiled build', () => {
    const port = projector.environment?.PROJECTOR_HEALTH_PORT;
    expect(port).toMatch(/^\d+$/);
    expect(projector.healthcheck?.test.join(' ')).toContain(`http://127.0.0.1:${port}/health`);
    expect(projector.command).toEqual(['node', 'dist/apps/projector/src/main.js']);
  });

  it('builds an image that runs the compiled ledger as a non-root user, with the files its pages serve', () => {
    const dockerfile = readFileSync(join(__dirname, '../../Dockerfile'), 'utf8');
    const finalStage = dockerfile.slice(dockerfile.lastIndexOf('\nFROM '));
    expect(dockerfile).toMatch(/RUN npm run build/);
    expect(finalStage).toMatch(/^USER node$/m);
    expect(finalStage).toContain('COPY --from=build /app/apps/console/public ./apps/console/public');
    expect(finalStage).toContain('CMD ["node", "dist/apps/ledger/src/main.js"]');
    const instructions = finalStage.split('\n').filter((line) => !line.trimStart().startsWith('#'));
    expect(instructions.filter((line) => /ts-node|tsconfig-paths/.test(line))).toEqual([]);
  });
});
