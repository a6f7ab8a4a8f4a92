import { DEFAULT_BATCH_SIZE } from '@ledger/projections';

/** Tuning of the projector process, from its environment (the ledger's own configuration comes from @ledger/platform). */
export interface ProjectorOptions {
  /** Events per read and per transaction (`PROJECTOR_BATCH_SIZE`). */
  readonly batchSize: number;
  /** How often a standby tries to take over (`PROJECTOR_STANDBY_RETRY_MS`). */
  readonly standbyRetryMs: number;
  /** Where GET /health answers for an orchestrator (`PROJECTOR_HEALTH_PORT`); none when unset. */
  readonly healthPort?: number;
}

export function projectorOptions(env: NodeJS.ProcessEnv = process.env): ProjectorOptions {
  return {
    batchSize: positive(env.PROJECTOR_BATCH_SIZE, 'PROJECTOR_BATCH_SIZE', DEFAULT_BATCH_SIZE, 100_000),
    standbyRetryMs: positive(env.PROJECTOR_STANDBY_RETRY_MS, 'PROJECTOR_STANDBY_RETRY_MS', 1_000, 600_000),
    ...(env.PROJECTOR_HEALTH_PORT?.trim() ? { healthPort: positive(env.PROJECTOR_HEALTH_PORT, 'PROJECTOR_HEALTH_PORT', 0, 65_535) } : {}),
  };
}

function positive(value: string | undefined, name: string, fallback: number, max: number): number {
  if (value === undefined || value.trim() === '') return fallback;
  const parsed = Number(value);
  if (!Number.isInteger(parsed) || parsed < 1 || parsed > max) throw new Error(`${name} must be an integer from 1 to ${max}`);
  return parsed;
}
