import { Inject, Injectable, Logger, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import type { Pool } from 'pg';
import { EVENT_STORE, type EventStore } from '@ledger/event-store';
import type { LedgerConfig } from '@ledger/platform';
import { CONTROL_TABLE, countParkedEvents, ledgerProjections, positionAt, type CheckpointSigner } from '@ledger/projections';
import { CHECKPOINT_SIGNER } from '../../queries/read-side.tokens';
import { LEDGER_CONFIG, PG_POOL } from '../config/config.tokens';
import { answerWithin } from './answer-within';
import { LedgerMetrics, type ReadSideSample } from '../metrics/ledger-metrics';

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
/** On EventStoreDB (positions are not counts) a projection's lag in events is counted up to this many. */
export const COUNTED_LAG_LIMIT = 10_000;
/** How often the read side is looked at for the log, whether or not anyone asks. */
const MONITOR_INTERVAL_MS = 10_000;

/**
 * Whether the read side can be trusted to answer queries: every projection
 * has an active generation, none has parked events, none is further behind
 * the log than LEDGER_READY_MAX_LAG. Lag is measured in time, not positions
 * (EventStoreDB's positions are not event counts): the age of the oldest
 * event not yet folded. The verifiable log's checkpoints must keep up too:
 * the tree may not have grown past the last signed checkpoint for longer
 * than LEDGER_READY_MAX_UNSIGNED (counted from that checkpoint's signing,
 * or from the first event it does not cover if that is later, so a write
 * after a quiet hour is not a stall), and the signer in this process, if
 * one runs here, must not have refused to sign. The same check runs in the
 * background, so that a projection that stalls or parks an event, or a
 * signer that stops signing, is logged as an error even when nobody asks
 * /health/ready, and its recovery too.
 */
@Injectable()
export class ReadSideHealth implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger('ReadSide');
  private timer?: NodeJS.Timeout;
  private reported = new Map<string, string>();

  private signer?: CheckpointSigner | null;

  constructor(
    @Inject(PG_POOL) private readonly pool: Pool,
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(LEDGER_CONFIG) private readonly config: LedgerConfig,
    private readonly modules: ModuleRef,
    private readonly metrics: LedgerMetrics,
  ) {}

  onApplicationBootstrap(): void {
    this.metrics.observeReadSide(() => this.sample());
    this.timer = setInterval(() => void this.monitor(), MONITOR_INTERVAL_MS);
    this.timer.unref();
  }

  onModuleDestroy(): void {
    clearInterval(this.timer);
  }

  /**
   * What /metrics reports of the read side: per projection its lag in events
   * (on PostgreSQL the head minus its checkpoint, positions being dense; on
   * EventStoreDB the events after its checkpoint, counted up to
   * COUNTED_LAG_LIMIT) and in seconds, and its parked events; and the age of
   * the verifiable log's latest signed checkpoint.
   */
  async sample(now = Date.now()): Promise<ReadSideSample> {
    const [status, age] = await Promise.all([
      this.status(now),
      withinCheckTimeout(this.pool.query<{ age: number | null }>('SELECT extract(epoch FROM clock_timestamp() - max(signed_at))::float8 AS age FROM read_models.log_checkpoints')),
    ]);
    const head = status.head === null ? undefined : BigInt(status.head);
    const projections = await Promise.all(
      status.projections.map(async (projection) => ({
        name: projection.name,
        lagSeconds: projection.lagSeconds,
        parked: projection.parked,
        lagEvents: head === undefined || projection.checkpoint === null ? 0 : await this.eventsAfter(BigInt(projection.checkpoint), head),
      })),
    );
    const seconds = age instanceof Error ? null : age.rows[0]?.age;
    return { projections, ...(seconds === null || seconds === undefined ? {} : { checkpointAgeSeconds: Math.max(0, seconds) }) };
  }

  private async eventsAfter(checkpoint: bigint, head: bigint): Promise<number> {
    if (checkpoint >= head) return 0;
    if (!this.config.eventStoreConnectionString) return Number(head - checkpoint);
    const events = await withinCheckTimeout(this.store.readAll({ afterPosition: checkpoint, maxCount: COUNTED_LAG_LIMIT }));
    return events instanceof Error ? 0 : events.length;
  }

  async status(now = Date.now()): Promise<ReadSideStatus> {
    const [head, generations, parked, signing] = await Promise.all([
      withinCheckTimeout(this.store.headPosition()),
      withinCheckTimeout(this.pool.query<{ projection: string; checkpoint: string }>(`SELECT projection, checkpoint::text FROM ${CONTROL_TABLE} WHERE status = 'active'`)),
      withinCheckTimeout(countParkedEvents(this.pool)),
      withinCheckTimeout(this.checkpointTrouble(now)),
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
    if (signing instanceof Error) reasons.push(`checkpoints: the log's tree and checkpoints cannot be read (${signing.message})`);
    else if (signing) reasons.push(`checkpoints: ${signing}`);
    return { ready: reasons.length === 0, reasons, head: head instanceof Error ? null : head.toString(), projections };
  }

  /**
   * Why the verifiable log's checkpoints do not keep up with its tree, if
   * they do not: the signer of this process refused to sign (a tree that
   * does not extend the last checkpoint; reported at once, as it never
   * passes by itself), or the tree has leaves no checkpoint covers and none
   * was signed within the bound (whichever signer should sign, here or in
   * apps/projector).
   */
  private async checkpointTrouble(now: number): Promise<string | undefined> {
    const refusal = this.localSigner()?.refusal();
    if (refusal) return `the signer refuses to sign: ${refusal}; no checkpoint is signed until an operator resolves it (npm run ledger -- verify)`;
    const { rows } = await this.pool.query<{ tree_size: string; signed_size: string | null; signed_seconds_ago: number | null; covered_position: string | null }>(
      `SELECT e.tree_size::text AS tree_size, c.tree_size::text AS signed_size,
              extract(epoch FROM clock_timestamp() - c.signed_at)::float8 AS signed_seconds_ago,
              (${positionAt('c.tree_size - 1')})::text AS covered_position
         FROM read_models.log_edge e
         LEFT JOIN LATERAL (SELECT k.tree_size, k.signed_at FROM read_models.log_checkpoints k ORDER BY k.tree_size DESC LIMIT 1) c ON true
        WHERE e.id = 1`,
    );
    const row = rows[0];
    if (!row) return undefined;
    const treeSize = Number(row.tree_size);
    const signedSize = row.signed_size === null ? 0 : Number(row.signed_size);
    const uncovered = treeSize - signedSize;
    if (uncovered <= 0) return undefined;
    // The first leaf no checkpoint covers is the first event after the last one covered (the log's first event when none is).
    const waitingSince = await this.ageOfEventAfter(row.covered_position === null ? -1n : BigInt(row.covered_position), now);
    const waited = Math.min(waitingSince, row.signed_seconds_ago ?? Infinity);
    const bound = this.config.readyMaxUnsignedSeconds;
    if (waited <= bound) return undefined;
    const leaves = `${uncovered} ${uncovered === 1 ? 'leaf' : 'leaves'}`;
    if (row.signed_size === null) {
      return `the tree has ${leaves} no checkpoint covers (none signed yet; the first of them was recorded ${Math.round(waitingSince)} s ago; the bound is ${bound} s)`;
    }
    return `the tree has ${leaves} the last checkpoint (size ${signedSize}, signed ${Math.round(row.signed_seconds_ago!)} s ago) does not cover (the bound is ${bound} s)`;
  }

  /** The checkpoint signer of this process (beside the in-process projector); null when it runs elsewhere. */
  private localSigner(): CheckpointSigner | null {
    if (this.signer !== undefined) return this.signer;
    try {
      this.signer = this.modules.get<CheckpointSigner | null>(CHECKPOINT_SIGNER, { strict: false }) ?? null;
    } catch {
      // No read side in this application: nothing signs here.
      return null;
    }
    return this.signer;
  }

  /** Seconds since the first event after `checkpoint` was recorded; unreadable times count as now. */
  private async ageOfEventAfter(checkpoint: bigint, now: number): Promise<number> {
    const next = await withinCheckTimeout(this.store.readAll({ afterPosition: checkpoint, maxCount: 1 }));
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

/** A check's work within CHECK_TIMEOUT_MS (answerWithin). */
function withinCheckTimeout<T>(work: Promise<T>): Promise<T | Error> {
  return answerWithin(work, CHECK_TIMEOUT_MS);
}
