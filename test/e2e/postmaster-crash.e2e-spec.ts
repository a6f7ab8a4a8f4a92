import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { callersFor, enrollmentBody, nextPerson, seedReferenceData, type Callers } from './support/ledger-client';
import { startLedgerServer, type LedgerServer } from './support/ledger-server';
import { eventually } from '../support/eventually';

const WRITERS = 32;

interface Outcome {
  readonly status: number | 'refused';
  readonly code?: string;
  readonly at: number;
  readonly processId?: string;
  readonly position?: string;
}

/**
 * The embedded PostgreSQL is killed outright (SIGKILL of its postmaster)
 * while 32 clients enroll candidates as fast as they can. The ledger
 * process lives on: while the database is away every command is answered
 * 503 STORE_UNAVAILABLE with Retry-After (never a 500, never a refused
 * connection), the ledger restarts PostgreSQL itself, commands are taken
 * again within 30 s, and every command that was answered 201 is there
 * afterwards, through the read models too.
 */
describe('the embedded PostgreSQL killed under load', () => {
  let server: LedgerServer;
  let callers: Callers;

  beforeAll(async () => {
    // Exactly as an operator runs it: npm start, embedded mode, no rate limit between these clients and the ledger.
    server = await startLedgerServer({ viaNpmStart: true, env: { LEDGER_RATE_LIMIT: 'off' } });
    callers = callersFor(server);
    await seedReferenceData(server, callers);
  }, 120_000);

  afterAll(async () => {
    await server?.kill();
  });

  // SIGKILL: the postmaster dies at once and its backends follow; SIGINT: a fast shutdown, which
  // terminates every connection with 57P01 first (the error that used to be thrown uncaught).
  it.each(['SIGKILL', 'SIGINT'] as const)('%s: answers 503 while it is down, restarts it, serves again within 30 s and loses no acknowledged command', async (signal) => {
    const outcomes: Outcome[] = [];
    let stop = false;
    const enroll = async (): Promise<Outcome> => {
      const body = enrollmentBody(nextPerson());
      try {
        const response = await fetch(`${server.baseUrl}/v1/enrollments`, {
          method: 'POST',
          headers: { authorization: callers.registrar, 'content-type': 'application/json', 'idempotency-key': randomUUID() },
          body: JSON.stringify(body),
        });
        const answer = (await response.json()) as { code?: string; processId?: string; position?: string };
        if (response.status === 503) expect(response.headers.get('retry-after')).toMatch(/^\d+$/);
        return { status: response.status, code: answer.code, at: Date.now(), processId: answer.processId, position: answer.position };
      } catch {
        return { status: 'refused', at: Date.now() };
      }
    };
    const writers = Array.from({ length: WRITERS }, async () => {
      while (!stop) outcomes.push(await enroll());
    });

    await until(() => outcomes.filter((outcome) => outcome.status === 201).length >= 200);
    const postmaster = Number(readFileSync(join(server.dataDir, 'postgres', 'cluster', 'postmaster.pid'), 'utf8').split('\n')[0]);
    const killedAt = Date.now();
    process.kill(postmaster, signal);
    await until(() => outcomes.some((outcome) => outcome.at > killedAt && outcome.status === 503), 20_000);
    await until(() => outcomes.filter((outcome) => outcome.at > killedAt && outcome.status === 201).length >= 100, 30_000);
    stop = true;
    await Promise.all(writers);

    // Commands in flight at the kill may still be acknowledged; the outage starts with the first 503.
    const byTime = [...outcomes].sort((a, b) => a.at - b.at);
    const outageStart = byTime.find((outcome) => outcome.at > killedAt && outcome.status === 503)!;
    const firstBack = byTime.find((outcome) => outcome.at > outageStart.at && outcome.status === 201)!;
    expect(firstBack.at - killedAt).toBeLessThan(30_000);
    const unexpected = outcomes.filter((outcome) => outcome.status !== 201 && outcome.status !== 503);
    expect(unexpected).toEqual([]);
    expect(new Set(outcomes.filter((outcome) => outcome.status === 503).map((outcome) => outcome.code))).toEqual(new Set(['STORE_UNAVAILABLE']));
    // The same process all along: it never exited, and it restarted the database itself.
    expect(server.output()).toMatch(/embedded PostgreSQL exited .*restarting it/);
    expect(server.output()).toMatch(/embedded PostgreSQL is back/);
    expect(server.output()).not.toMatch(/Unexpected error|uncaught|The ledger could not start/i);

    const acknowledged = outcomes.filter((outcome) => outcome.status === 201);
    const last = acknowledged.map((outcome) => BigInt(outcome.position!)).reduce((a, b) => (a > b ? a : b));
    const ready = await fetch(`${server.baseUrl}/v1/audit/events?limit=1&minPosition=${last}`, { headers: { authorization: callers.comptroller } });
    expect(ready.status).toBe(200);
    const missing: string[] = [];
    for (const { processId } of acknowledged) {
      const response = await fetch(`${server.baseUrl}/v1/enrollments/${processId}`, { headers: { authorization: callers.comptroller } });
      if (response.status !== 200) missing.push(`${processId}: ${response.status}`);
    }
    expect({ acknowledged: acknowledged.length, missing }).toEqual({ acknowledged: acknowledged.length, missing: [] });
    if (process.env.LEDGER_E2E_REPORT) {
      const during = outcomes.filter((outcome) => outcome.at > killedAt && outcome.at < firstBack.at);
      process.stdout.write(`${signal}: ${acknowledged.length} acknowledged, ${during.length} answered 503 while down, back after ${firstBack.at - killedAt} ms\n`);
    }
  }, 180_000);
});

async function until(check: () => boolean, timeoutMs = 60_000): Promise<void> {
  await eventually(check, timeoutMs, 20);
}
