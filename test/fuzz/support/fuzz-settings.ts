/**
 * How long and with what seed the fuzzer runs. `npm test` runs it briefly
 * with a fixed seed; `npm run fuzz` longer with a random one. Either way a
 * failure prints the seed and path of the lane that failed, and
 *
 *   FUZZ_SEED=<seed> FUZZ_PATH=<path> FUZZ_LANES=1 npm run fuzz
 *
 * replays exactly that request (against a fresh ledger with the same
 * reference data), then shrinks it again. FUZZ_SURVEY=1 goes on past
 * violations and lists them all at the end; FUZZ_LOG=<file> writes every
 * request and answer there.
 */
export interface FuzzSettings {
  /** The seed of lane 0; lane k runs with seed + k. */
  readonly seed: number;
  /** Requests in all, across lanes. */
  readonly runs: number;
  /** Properties run side by side, so that queries waiting for the read models overlap. */
  readonly lanes: number;
  /** fast-check's replay path of a failure (with FUZZ_LANES=1). */
  readonly path?: string;
  /** Past this a request counts as hung. */
  readonly timeoutMs: number;
  /** Collect every violation of the run instead of stopping at (and shrinking) the first. */
  readonly survey: boolean;
  /** Print the statuses per route after the run (any FUZZ_* setting given). */
  readonly verbose: boolean;
}

/** The seed `npm test` runs with. */
export const FIXED_SEED = 20261207;
export const DEFAULT_RUNS = 2_000;
export const DEFAULT_LANES = 4;

function positiveInteger(text: string | undefined, fallback: number, name: string): number {
  if (text === undefined || text === '') return fallback;
  const value = Number(text);
  if (!Number.isSafeInteger(value) || value < 1) throw new Error(`${name} must be a positive integer, not ${JSON.stringify(text)}`);
  return value;
}

export function fuzzSettings(env: NodeJS.ProcessEnv = process.env): FuzzSettings {
  const seedText = env.FUZZ_SEED;
  const seed = seedText === 'random' ? (Date.now() ^ (Math.random() * 0x7fffffff)) | 0 : seedText ? Number(seedText) : FIXED_SEED;
  if (!Number.isSafeInteger(seed)) throw new Error(`FUZZ_SEED must be an integer or "random", not ${JSON.stringify(seedText)}`);
  const lanes = positiveInteger(env.FUZZ_LANES, env.FUZZ_PATH ? 1 : DEFAULT_LANES, 'FUZZ_LANES');
  if (env.FUZZ_PATH && lanes !== 1) throw new Error('FUZZ_PATH replays one lane: set FUZZ_LANES=1 (and FUZZ_SEED to the seed printed with the path)');
  return {
    seed,
    runs: positiveInteger(env.FUZZ_RUNS, DEFAULT_RUNS, 'FUZZ_RUNS'),
    lanes,
    ...(env.FUZZ_PATH ? { path: env.FUZZ_PATH } : {}),
    timeoutMs: positiveInteger(env.FUZZ_TIMEOUT_MS, 10_000, 'FUZZ_TIMEOUT_MS'),
    survey: env.FUZZ_SURVEY === '1',
    verbose: Object.keys(env).some((name) => name.startsWith('FUZZ_')),
  };
}
