/**
 * Every code the verifiable log library can throw. Codes are part of the
 * contract (the routes, the builder and the CLI switch on them), so they are
 * only ever added, never renamed.
 */
export const VERIFIABLE_LOG_ERROR_CODES = [
  // Numbers: tree sizes, leaf indices, stored-hash indices, batch sizes.
  'INVALID_TREE_SIZE',
  'INDEX_OUT_OF_RANGE',
  'BATCH_TOO_LARGE',
  // Hashes and tiles.
  'INVALID_HASH',
  'NODE_HASH_COUNT',
  'INVALID_TREE_EDGE',
  'MALFORMED_TILE_PATH',
  'INVALID_TILE',
  'TILE_DATA_MISMATCH',
  // Signed notes and their keys.
  'MALFORMED_NOTE',
  'NOTE_TOO_LARGE',
  'TOO_MANY_SIGNATURES',
  'INVALID_KEY_NAME',
  'MALFORMED_KEY',
  'KEY_ID_MISMATCH',
  'UNSUPPORTED_KEY_TYPE',
  'AMBIGUOUS_VERIFIER',
  'INVALID_SIGNATURE',
  'UNVERIFIED_NOTE',
  // Checkpoints and tlog-proof bundles.
  'MALFORMED_CHECKPOINT',
  'ORIGIN_MISMATCH',
  'MALFORMED_TLOG_PROOF',
  'INCLUSION_NOT_PROVEN',
  // Data Integrity proofs of credentials.
  'INVALID_PROOF_OPTIONS',
] as const;

export type VerifiableLogErrorCode = (typeof VERIFIABLE_LOG_ERROR_CODES)[number];

export type VerifiableLogErrorDetails = Readonly<Record<string, unknown>>;

/**
 * Input the library refuses (a malformed note, a size past 2^53, a tile of the
 * wrong length, a signature that does not verify). Messages name positions and
 * sizes, never secrets; the HTTP layer maps codes to statuses.
 */
export class VerifiableLogError extends Error {
  readonly code: VerifiableLogErrorCode;
  readonly details?: VerifiableLogErrorDetails;

  constructor(code: VerifiableLogErrorCode, message: string, details?: VerifiableLogErrorDetails) {
    super(message);
    this.name = 'VerifiableLogError';
    this.code = code;
    if (details !== undefined) this.details = details;
  }
}

export function isVerifiableLogError(error: unknown): error is VerifiableLogError {
  return error instanceof VerifiableLogError;
}

/** Throws when the condition is false; keeps input checks to one line each. */
export function ensureInput(
  condition: boolean,
  code: VerifiableLogErrorCode,
  message: string,
  details?: VerifiableLogErrorDetails,
): asserts condition {
  if (!condition) throw new VerifiableLogError(code, message, details);
}
