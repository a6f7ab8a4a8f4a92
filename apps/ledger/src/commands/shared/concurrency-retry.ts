import { WrongExpectedRevisionError } from '@ledger/event-store';

/** Enough for a burst of writers on one stream: each retry re-reads, and most commands then see their work done. */
export const MAX_ATTEMPTS = 5;
const BASE_DELAY_MS = 5;

function isRevisionConflict(error: unknown): boolean {
  return error instanceof WrongExpectedRevisionError || (error as { code?: unknown })?.code === 'WRONG_EXPECTED_REVISION';
}

/**
 * Runs `attempt` again when another writer changed a stream between our read
 * and our append (optimistic concurrency). Jittered, growing pauses keep
 * competing writers from colliding in lockstep; after MAX_ATTEMPTS the
 * conflict reaches the client as a 409.
 */
export async function withConcurrencyRetry<T>(attempt: () => Promise<T>, maxAttempts = MAX_ATTEMPTS): Promise<T> {
  for (let round = 1; ; round += 1) {
    try {
      return await attempt();
    } catch (error) {
      if (!isRevisionConflict(error) || round >= maxAttempts) throw error;
      const ceiling = BASE_DELAY_MS * 2 ** round;
      await new Promise((resolve) => setTimeout(resolve, ceiling / 2 + Math.random() * ceiling));
    }
  }
}
