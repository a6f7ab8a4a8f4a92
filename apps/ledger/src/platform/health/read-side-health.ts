import { Inject, Injectable, Logger, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import type { Pool } from 'pg';
import { EVENT_STORE, type EventStore } from '@ledger/event-store';
import type { LedgerConfig } from '@ledger/platform';
import { CONTROL_TABLE, countParkedEvents, ledgerProjections } from '@ledger/projections';
import { LEDGER_CONFIG, PG_POOL } from '../config/config.tokens';

/** How one projection's active read models stand. */
export interface ProjectionHealth {
  readonly name: string;
  /** The position folded so far; null when the projection has no active generation yet. */
  readonly checkpoint: string | null;
  /** How long ago the oldest event not yet folded was recorded; 0 when caught up. */
  readonly lagSeconds: number;
  /** Events set aside because they could not be folded (`projections parked`). */
  readonly parked: number;
}

export interface ReadSideStatus {
  readonly ready: boolean;
  /** Why not, one sentence each; empty when ready. */
  readonly reasons: readonly string[];
  /** The log's head; null when the event store did not answer. */
  readonly head: string | null;
  readonly projections: readonly ProjectionHealth[];
}

/** A dependency that does not answer within this counts as down for a load balancer. */
const CHECK_TIMEOUT_MS = 2_000;
/** How often the read side is looked at for the log, whether or not anyone asks. */
const MONITOR_INTERVAL_MS = 10_000;

/**
 * Whether the read side can be trusted to answer queries: every projection
 * has an active generation, none has parked events, none is further behind
 * the log than LEDGER_READY_MAX_LAG. Lag is measured in time, not positions
 * (EventStoreDB's positions are not event counts): the age of the oldest
 * event not yet folded. The same check runs in the background, so that a
 * projection that stalls or parks an event is logged as an error even when
 * nobody asks /health/ready, and its recovery too.
 */
@Injectable()
export class ReadSideHealth implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger('ReadSide');
  private timer?: NodeJS.Timeout;
  private reported = new Map<string, string>();

  constructor(
    @Inject(PG_POOL) private readonly pool: Pool,
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(LEDGER_CONFIG) private readonly config: LedgerConfig,
  ) {}

  onApplicationBootstrap(): void {
    this.timer = setInterval(() => void this.monitor(), MONITOR_INTERVAL_MS);
    this.timer.unref();
  }

  onModuleDestroy(): void {
    clearInterval(this.timer);
  }

  async status(now = Date.now()): Promise<ReadSideStatus> {
    const [head, generations, parked] = await Promise.all([
      withTimeout(this.store.headPosition()),
      withTimeout(this.pool.query<{ projection: string; checkpoint: string }>(`SELECT projection, checkpoint::text FROM ${CONTROL_TABLE} WHERE status = 'active'`)),
      withTimeout(countParkedEvents(this.pool)),
    ]);
    const reasons: string[] = [];
    if (head instanceof Error) reasons.push(`the event store does not answer (${head.message})`);
    if (generations instanceof Error || parked instanceof Error) {
      const failure = generations instanceof Error ? generations : (parked as Error);
      reasons.push(`the read models do not answer (${failure.message})`);
      return { ready: false, reasons, head: head instanceof Error ? null : head.toString(), projections: [] };
    }
    const checkpoints = new Map(generations.rows.map((row) => [row.projection, BigInt(row.checkpoint)]));
    const ages = new Map<bigint, Promise<number>>();
    const projections = await Promise.all(
      ledgerProjections.map(async ({ name }): Promise<ProjectionHealth> => {
        const checkpoint = checkpoints.get(name);
        const behind = checkpoint !== undefined && !(head instanceof Error) && checkpoint < head;
        if (behind && !ages.has(checkpoint)) ages.set(checkpoint, this.ageOfEventAfter(checkpoint, now));
        const lagSeconds = behind ? await ages.get(checkpoint)! : 0;
        return { name, checkpoint: checkpoint?.toString() ?? null, lagSeconds, parked: parked.get(name) ?? 0 };
      }),
    );
    for (const projection of projections) {
      if (projection.checkpoint === null) reasons.push(`${projection.name}: no active read models yet`);
      if (projection.parked > 0) reasons.push(`${projection.name}: ${projection.parked} parked event${projection.parked === 1 ? '' : 's'} (npm run ledger -- projections parked)`);
      if (projection.lagSeconds > this.config.readyMaxLagSeconds) {
        reasons.push(`${projection.name}: ${Math.round(projection.lagSeconds)} s behind the log (the bound is ${this.config.readyMaxLagSeconds} s)`);
      }
    }
    return { ready: reasons.length === 0, reasons, head: head instanceof Error ? null : head.toString(), projections };
  }

  /** Seconds since the first event after `checkpoint` was recorded; unreadable times count as now. */
  private async ageOfEventAfter(checkpoint: bigint, now: number): Promise<number> {
    const next = await withTimeout(this.store.readAll({ afterPosition: checkpoint, maxCount: 1 }));
    if (next instanceof Error || next.length === 0) return 0;
    const recordedAt = Date.parse(String(next[0].metadata?.recordedAt));
    return Number.isFinite(recordedAt) ? Math.max(0, (now - recordedAt) / 1000) : 0;
  }

  /** Logs each projection's trouble once when it starts, and once when it ends. */
  private async monitor(): Promise<void> {
    const status = await this.status().catch((error: Error) => ({ ready: false, reasons: [error.message], head: null, projections: [] }));
    const current = new Map<string, string>();
    for (const reason of status.reasons) current.set(reason.split(':')[0], reason);
    for (const [subject, reason] of current) {
      if (this.reported.get(subject) === undefined) this.logger.error(`Read side not ready: ${reason}`);
    }
    for (const subject of this.reported.keys()) if (!current.has(subject)) this.logger.log(`Read side: ${subject} is ready again`);
    this.reported = current;
  }
}

async function withTimeout<T>(work: Promise<T>): Promise<T | Error> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<Error>((resolve) => (timer = setTimeout(() => resolve(new Error(`no answer within ${CHECK_TIMEOUT_MS} ms`)), CHECK_TIMEOUT_MS)));
  try {
    return await Promise.race([work.catch((error: unknown) => (error instanceof Error ? error : new Error(String(error)))), timeout]);
  } finally {
    clearTimeout(timer);
  }
}
