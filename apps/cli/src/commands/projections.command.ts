import type { Command } from 'commander';
import { Pool } from 'pg';
import { ledgerProjections, ledgerProjectionsFor, listParkedEvents, projectionNamed, replayWithoutFeeder, requestReplay, type ParkedEvent } from '@ledger/projections';
import { runReadModelMigrations } from '@ledger/read-models';
import { withLedgerDatabase } from '../cli-context';
import { OperatorError, type CliCommand } from './cli-command';
import { openEventStore } from '@ledger/event-store';

/**
 * `ledger projections parked | replay`: the events a projection set aside
 * because it could not fold them (it went on with the rest), and folding
 * them again once the cause is fixed.
 */
export const projectionsCommand: CliCommand = {
  register(program: Command): void {
    const projections = program.command('projections').description('Events the read side set aside, and replaying them');
    projections
      .command('parked')
      .description('List the events each projection parked: position, id, type, stream, error, attempts, first and last failure')
      .option('--projection <name>', `one of ${ledgerProjections.map((p) => p.name).join(', ')}`)
      .option('--json', 'one JSON object per line instead of a table')
      .action(async (options: { projection?: string; json?: boolean }) => {
        const projection = checkedProjection(options.projection);
        await withLedgerDatabase(async (database) => {
          await runReadModelMigrations(database.url);
          const parked = await withPool(database.url, (pool) => listParkedEvents(pool, projection));
          printParked(parked, options.json === true);
        });
      });
    projections
      .command('replay')
      .description('Fold parked events again (after a fix); each stays parked, with its new error, if it fails again')
      .option('--projection <name>', 'only this projection’s parked events')
      .option('--position <n>', 'only the event at this position', checkedPosition)
      .option('--wait <seconds>', 'how long to wait for a running projector to replay them', checkedSeconds, 30)
      .action(async (options: { projection?: string; position?: bigint; wait: number }) => {
        const projection = checkedProjection(options.projection);
        await withLedgerDatabase(async (database, { config }) => {
          await runReadModelMigrations(database.url);
          const store = await openEventStore(config, database.url);
          try {
            await withPool(database.url, async (pool) => {
              const requested = await requestReplay(pool, { projection, position: options.position });
              if (requested.length === 0) return void process.stdout.write('no parked events to replay\n');
              // Generations no projector feeds are replayed here; the others by their feeder.
              for (const generationId of new Set(requested.map((event) => event.generationId))) {
                const name = requested.find((event) => event.generationId === generationId)!.projection;
                await replayWithoutFeeder(database.url, store, projectionNamed(name, ledgerProjectionsFor(config)), generationId);
              }
              const outcome = await waitForReplays(pool, requested, options.wait * 1000);
              if (outcome.pending > 0) throw new OperatorError(`${outcome.pending} of ${requested.length} parked events were not replayed within ${options.wait} s; is the projector running?`);
              if (outcome.failed > 0) throw new OperatorError(`${outcome.failed} of ${requested.length} parked events failed again; \`projections parked\` shows why`);
            });
          } finally {
            await store.close();
          }
        });
      });
  },
};

function checkedProjection(name: string | undefined): string | undefined {
  if (name === undefined) return undefined;
  try {
    return projectionNamed(name).name;
  } catch (error) {
    throw new OperatorError((error as Error).message);
  }
}

function checkedPosition(text: string): bigint {
  if (!/^\d{1,19}$/.test(text) || BigInt(text) > 2n ** 63n - 1n) throw new OperatorError('--position must be a log position (a whole number)');
  return BigInt(text);
}

function checkedSeconds(text: string): number {
  const seconds = Number(text);
  if (!/^\d{1,4}$/.test(text) || seconds < 1) throw new OperatorError('--wait must be a whole number of seconds from 1 to 9999');
  return seconds;
}

async function withPool<T>(url: string, work: (pool: Pool) => Promise<T>): Promise<T> {
  const pool = new Pool({ connectionString: url, max: 2 });
  pool.on('error', () => undefined);
  try {
    return await work(pool);
  } finally {
    await pool.end();
  }
}

/** Polls until every requested event is replayed (its row gone) or failed again (its request cleared), or the time is up. */
async function waitForReplays(pool: Pool, requested: readonly ParkedEvent[], timeoutMs: number): Promise<{ failed: number; pending: number }> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const current = await listParkedEvents(pool);
    const still = (event: ParkedEvent) => current.find((row) => row.generationId === event.generationId && row.position === event.position);
    const pending = requested.filter((event) => still(event)?.replayRequestedAt);
    if (pending.length === 0 || Date.now() > deadline) {
      for (const event of requested) {
        const row = still(event);
        const outcome = !row ? 'replayed' : row.replayRequestedAt ? 'still waiting' : `failed again: ${row.error}`;
        process.stdout.write(`${event.projection} position ${event.position} (${event.eventType}): ${outcome}\n`);
      }
      const failed = requested.filter((event) => {
        const row = still(event);
        return row !== undefined && !row.replayRequestedAt;
      }).length;
      return { failed, pending: pending.length };
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

function printParked(parked: readonly ParkedEvent[], json: boolean): void {
  if (json) {
    for (const event of parked) process.stdout.write(`${JSON.stringify(event)}\n`);
    return;
  }
  if (parked.length === 0) return void process.stdout.write('no parked events\n');
  const header = ['projection', 'generation', 'position', 'event id', 'type', 'stream', 'attempts', 'first failed', 'last failed', 'error'];
  const rows = parked.map((event) => [
    event.projection,
    String(event.generationId),
    event.position,
    event.eventId,
    event.eventType,
    event.streamId,
    String(event.attempts),
    event.firstFailedAt,
    event.lastFailedAt,
    event.error.length > 120 ? `${event.error.slice(0, 119)}…` : event.error,
  ]);
  const widths = header.map((title, column) => Math.max(title.length, ...rows.map((row) => row[column].length)));
  const line = (cells: string[]) => cells.map((cell, column) => cell.padEnd(widths[column])).join('  ').trimEnd();
  process.stdout.write(`${[line(header), ...rows.map(line)].join('\n')}\n${parked.length} parked\n`);
}
