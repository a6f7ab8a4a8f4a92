import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { signToken } from './support/tokens';
import { startLedgerServer, temporaryDataDir, type LedgerServer } from './support/ledger-server';
import { eventually } from '../support/eventually';

/**
 * An external PostgreSQL (DATABASE_URL) going away under a running ledger (a
 * restart, a failover) is an outage, not a bug: requests are answered 503
 * with Retry-After, nothing crashes, and once the database is back commands
 * and queries work again without restarting the ledger. (The embedded one
 * the ledger restarts itself: postmaster-crash.e2e-spec.ts.)
 */
describe('storage outage', () => {
  let server: LedgerServer;
  let database: ChildProcess;
  let databaseDir: { dir: string; remove: () => void };
  let clusterDir: string;

  beforeAll(async () => {
    // A server of this test's own, standing for an external database: nobody restarts it but the test.
    databaseDir = temporaryDataDir();
    clusterDir = join(databaseDir.dir, 'cluster');
    const started = await startStandalonePostgres(databaseDir.dir);
    database = started.process;
    server = await startLedgerServer({ databaseUrl: started.url });
  }, 120_000);

  afterAll(async () => {
    await server?.kill();
    database?.kill('SIGTERM');
    await stopPostmaster(clusterDir).catch(() => undefined);
    databaseDir?.remove();
  });

  const authority = () => signToken(server.secrets.tokenKey, { sub: 'ana', role: 'authority', org: 'CONOCER' });
  const comptroller = () => signToken(server.secrets.tokenKey, { sub: 'aud', role: 'comptroller', org: 'SFP' });
  const registerStandard = (code: string) =>
    fetch(`${server.baseUrl}/v1/standards`, {
      method: 'POST',
      headers: { authorization: `Bearer ${authority()}`, 'content-type': 'application/json' },
      body: JSON.stringify({ code, version: '01', title: 'Atención al ciudadano en el sector público', validityYears: 5 }),
    });

  it('answers 503 while PostgreSQL is down and serves again once it is back', async () => {
    expect((await registerStandard('EC0105')).status).toBe(201);
    // postmaster.opts holds the exact command line PostgreSQL was started with.
    const startCommand = parseOpts(readFileSync(join(clusterDir, 'postmaster.opts'), 'utf8'));
    await stopPostmaster(clusterDir);

    const command = await registerStandard('EC0217');
    expect(command.status).toBe(503);
    expect(command.headers.get('retry-after')).toBe('5');
    expect(await command.json()).toMatchObject({ code: 'STORE_UNAVAILABLE', status: 503 });
    const query = await fetch(`${server.baseUrl}/v1/audit/events?limit=1`, { headers: { authorization: `Bearer ${comptroller()}` } });
    expect(query.status).toBe(503);
    expect((await fetch(`${server.baseUrl}/health`)).status).toBe(503);

    restartPostmaster(startCommand);
    const recovered = await holdsWithin(async () => (await registerStandard('EC0217')).status === 201);
    expect(recovered).toBe(true);
    // The projector resumes from its checkpoint on its own; read-your-writes then sees both standards.
    const readBack = await holdsWithin(async () => {
      const audit = await fetch(`${server.baseUrl}/v1/audit/events?type=StandardRegistered&limit=10&minPosition=1`, {
        headers: { authorization: `Bearer ${comptroller()}` },
      });
      return audit.status === 200 && ((await audit.json()) as { items: unknown[] }).items.length === 2;
    });
    // On failure, show what the read side logged: it says where the projector stopped.
    if (!readBack) process.stderr.write(server.output().split('\n').filter((line) => line.includes('ReadSide')).join('\n'));
    expect(readBack).toBe(true);
    expect(server.output()).not.toMatch(/Unexpected error/);
  }, 120_000);
});

function startStandalonePostgres(dataDir: string): Promise<{ url: string; process: ChildProcess }> {
  const child = spawn(process.execPath, ['-r', 'ts-node/register/transpile-only', resolve(__dirname, '../support/standalone-postgres.ts'), dataDir], {
    cwd: resolve(__dirname, '../..'),
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  return new Promise((resolveStart, reject) => {
    let output = '';
    child.stdout?.on('data', (chunk) => {
      output += chunk;
      const url = /^url (\S+)$/m.exec(output)?.[1];
      if (url) resolveStart({ url, process: child });
    });
    child.once('exit', (code) => reject(new Error(`standalone PostgreSQL exited with ${code}`)));
  });
}

function parseOpts(text: string): string[] {
  return [...text.matchAll(/"([^"]*)"|(\S+)/g)].map((m) => m[1] ?? m[2]);
}

async function stopPostmaster(clusterDir: string): Promise<void> {
  const pid = Number(readFileSync(join(clusterDir, 'postmaster.pid'), 'utf8').split('\n')[0]);
  // SIGINT: PostgreSQL's fast shutdown, as on a restart or a failover.
  process.kill(pid, 'SIGINT');
  await holdsWithin(async () => {
    try {
      process.kill(pid, 0);
      return false;
    } catch {
      return true;
    }
  });
}

function restartPostmaster([binary, ...args]: string[]): void {
  // As root, the embedded server runs as the `postgres` user; so must its restart.
  const asRoot = typeof process.getuid === 'function' && process.getuid() === 0;
  const [command, commandArgs] = asRoot ? ['runuser', ['-u', 'postgres', '--', binary, ...args]] : [binary, args];
  const child = spawn(command, commandArgs, { detached: true, stdio: 'ignore' });
  child.unref();
}

/** Whether `check` holds within the time (a check that throws, the database being down, counts as not yet). */
async function holdsWithin(check: () => Promise<boolean>, timeoutMs = 30_000): Promise<boolean> {
  return eventually(() => check().catch(() => false), timeoutMs, 200).then(
    () => true,
    () => false,
  );
}
