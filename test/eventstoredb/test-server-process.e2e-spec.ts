/**
 * `npm run esdb:test-server` as other tools use it: a process that prints its
 * connection string on a line of its own, serves the real client, and exits
 * cleanly on SIGINT and SIGTERM.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { EventStoreDBClient, jsonEvent } from '@eventstore/db-client';

const ROOT = join(__dirname, '..', '..');
const MAIN = 'libs/event-store/src/eventstoredb/test-server/main.ts';
const CONNECTION_LINE = /^esdb:\/\/127\.0\.0\.1:\d+\?tls=false$/m;

describe('the EventStoreDB test server process', () => {
  it.each(['SIGINT', 'SIGTERM'] as const)('prints its connection string, serves the client, and exits 0 on %s', async (signal) => {
    const child = startServerProcess();
    try {
      const connectionString = await connectionLine(child);
      await expectServes(connectionString);

      child.kill(signal);
      const [code] = await withTimeout(once(child, 'exit'), 10_000, 'exit after the signal');
      expect(code).toBe(0);
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL');
    }
  }, 45_000);
});

/** The same command the npm script runs, without npm in between, so the signal reaches it directly. */
function startServerProcess(): ChildProcess {
  const tsNode = join(ROOT, 'node_modules', '.bin', 'ts-node');
  return spawn(process.execPath, [tsNode, '--transpile-only', '-r', 'tsconfig-paths/register', MAIN], {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

async function connectionLine(child: ChildProcess): Promise<string> {
  let output = '';
  const found = new Promise<string>((resolve, reject) => {
    child.stdout!.on('data', (chunk: Buffer) => {
      output += chunk.toString('utf8');
      const match = CONNECTION_LINE.exec(output);
      if (match) resolve(match[0]);
    });
    child.once('exit', (code) => reject(new Error(`exited with ${code} before printing a connection string: ${output}`)));
  });
  return withTimeout(found, 30_000, 'the connection string');
}

async function expectServes(connectionString: string): Promise<void> {
  const client = EventStoreDBClient.connectionString(connectionString);
  try {
    const streamName = `process-${randomUUID()}`;
    await client.appendToStream(streamName, jsonEvent({ type: 'Probed', data: { ok: true } }));
    const read = [];
    for await (const resolved of client.readStream(streamName)) read.push(resolved.event?.data);
    expect(read).toEqual([{ ok: true }]);
  } finally {
    await client.dispose();
  }
}

async function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`timed out waiting for ${what}`)), ms)));
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
