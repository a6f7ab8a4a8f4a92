import { Inject, Injectable, Logger, OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
import { mkdirSync, readdirSync, readFileSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Pool } from 'pg';
import type { Actor } from '@ledger/domain';
import type { LedgerConfig, LedgerSecrets } from '@ledger/platform';
import { LEDGER_CONFIG, LEDGER_SECRETS, PG_POOL } from '../platform/config/config.tokens';
import { ProblemException } from '../platform/errors/problem.exception';
import { assertRoutePattern, distinctSubjectIds, pseudonymiseCurps, type AccessLogEntry } from './access-log-entry';
import { AccessLogWriter, type Refusal } from './access-log-writer';
import { insertAccessLogEntries } from './access-log.store';
import { parseUnwrittenEntries, UNWRITTEN_FOLDER } from './unwritten-entries';

/** What a route that showed personal data tells the log. */
export interface AccessRead {
  readonly actor: Actor;
  /** The route pattern (`/v1/people/{subjectId}/personal-data`), never the raw URL: see accessRouteOf. */
  readonly route: string;
  /** The subjects the answer showed (a list page: the subjects on that page). None: nothing is recorded. */
  readonly subjectIds: readonly string[];
  readonly correlationId: string;
}

/**
 * The bounds of the queue and its writer. A list page is one entry, so 20,000
 * entries is many seconds of the busiest read load; the subject bound keeps
 * memory small (about 100 bytes a subject id) and still admits a report's
 * chunk of 5,000. An entry waits 100 ms for company (at most ten INSERTs and
 * commits a second below 5,000 answers a second), and refuses its successors
 * once the oldest entry waiting is 5 s old: the database has not taken a
 * write for that long, and what a crash could lose stays within 5 s of reads.
 */
export const ACCESS_LOG_LIMITS = {
  batchSize: 500,
  flushIntervalMs: 100,
  maxQueuedEntries: 20_000,
  maxQueuedSubjects: 500_000,
  maxPendingMs: 5_000,
  retryDelayMs: 50,
  maxRetryDelayMs: 1_000,
  /** Within main.ts's 15 s shutdown grace: what is still unwritten then goes to the data folder. */
  closeTimeoutMs: 10_000,
} as const;

const REFUSALS: Readonly<Record<Refusal, string>> = {
  full: 'The access log is full',
  behind: 'The access log cannot write to its database',
  closed: 'The ledger is shutting down',
};

/**
 * The access log: who read whose personal data, through which route, when.
 * record() only enqueues (a few microseconds); the writer batches entries into
 * multi-row INSERTs. An answer whose read cannot be recorded is not given:
 * record() throws 503 ACCESS_LOG_UNAVAILABLE (with Retry-After), so every
 * answer that shows personal data is in the log, or in the queue that a
 * graceful shutdown writes out (to the database, else to the data folder,
 * written to the database at the next start).
 */
@Injectable()
export class AccessLog implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger('AccessLog');
  private readonly writer: AccessLogWriter;
  private readonly unwrittenFolder: string;

  constructor(
    @Inject(PG_POOL) private readonly pool: Pool,
    @Inject(LEDGER_CONFIG) config: LedgerConfig,
    @Inject(LEDGER_SECRETS) private readonly secrets: LedgerSecrets,
  ) {
    this.unwrittenFolder = join(config.dataDir, UNWRITTEN_FOLDER);
    this.writer = new AccessLogWriter({
      ...ACCESS_LOG_LIMITS,
      write: (entries) => insertAccessLogEntries(pool, entries),
      now: () => performance.now(),
      onWriteFailure: (error, waiting) => this.logger.warn(`Access log write failed (${describe(error)}); ${waiting} entries waiting`),
    });
  }

  /** Records a read that an answer is about to show; throws 503 when it cannot be recorded. */
  record(read: AccessRead): void {
    const subjectIds = distinctSubjectIds(read.subjectIds);
    if (subjectIds.length === 0) return;
    assertRoutePattern(read.route);
    const refusal = this.writer.offer(this.entryOf(read, subjectIds));
    if (refusal) {
      throw new ProblemException(503, 'ACCESS_LOG_UNAVAILABLE', `${REFUSALS[refusal]}: answers that show personal data wait until their reads can be recorded`, undefined, {
        'Retry-After': '2',
      });
    }
  }

  /** Entries a previous run could not write before it stopped are written first. */
  async onModuleInit(): Promise<void> {
    let files: string[];
    try {
      files = readdirSync(this.unwrittenFolder).filter((name) => name.endsWith('.jsonl')).sort();
    } catch {
      return;
    }
    for (const name of files) {
      const path = join(this.unwrittenFolder, name);
      const entries = parseUnwrittenEntries(readFileSync(path, 'utf8'));
      for (let start = 0; start < entries.length; start += ACCESS_LOG_LIMITS.batchSize) {
        await insertAccessLogEntries(this.pool, entries.slice(start, start + ACCESS_LOG_LIMITS.batchSize));
      }
      unlinkSync(path);
      this.logger.warn(`Access log: wrote ${entries.length} entries the previous run left in ${name}`);
    }
  }

  /**
   * After the HTTP server has stopped (and before the global storage module
   * closes the pool): refuses new entries, writes the waiting ones, and keeps
   * what the database would not take in the data folder.
   */
  async onApplicationShutdown(): Promise<void> {
    const unwritten = await this.writer.close(performance.now() + ACCESS_LOG_LIMITS.closeTimeoutMs);
    if (unwritten.length === 0) return;
    mkdirSync(this.unwrittenFolder, { recursive: true });
    const name = `${new Date().toISOString().replace(/[:.]/g, '-')}-${process.pid}.jsonl`;
    writeFileSync(join(this.unwrittenFolder, name), unwritten.map((entry) => JSON.stringify(entry)).join('\n') + '\n', { mode: 0o600 });
    this.logger.error(`Access log: the database took no writes; ${unwritten.length} entries kept in ${join(UNWRITTEN_FOLDER, name)}, written at the next start`);
  }

  private entryOf(read: AccessRead, subjectIds: readonly string[]): AccessLogEntry {
    const pseudonymous = (text: string) => pseudonymiseCurps(text, this.secrets.subjectKey);
    return {
      readAt: new Date().toISOString(),
      actorId: pseudonymous(read.actor.id),
      actorRole: read.actor.role,
      actorOrganizationId: pseudonymous(read.actor.organizationId),
      actorJurisdiction: read.actor.jurisdiction ?? null,
      route: read.route,
      correlationId: pseudonymous(read.correlationId),
      subjectIds,
    };
  }
}

/** An error's code or message, never a query's parameters. */
function describe(error: unknown): string {
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code === 'string') return code;
  return error instanceof Error ? error.message : String(error);
}
