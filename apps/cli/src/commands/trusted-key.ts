import { existsSync, readFileSync, statSync } from 'node:fs';
import { isVerifiableLogError, parseVerifierKey, type NoteVerifierKey } from '@ledger/verifiable-log';
import { OperatorError } from './cli-command';

/** Key files and checkpoints are a few hundred bytes; refuse to read a large file by mistake. */
const MAX_KEY_FILE_BYTES = 64 * 1024;

/**
 * The log key an auditor trusts, from `--key`: the verifier key itself
 * (`<name>+<key id>+<base64>`, as GET /v1/log/key answers it) or a file that
 * holds it. Obtained once, out of band; its name is the log's origin.
 */
export function trustedLogKey(value: string): NoteVerifierKey {
  const text = existsSync(value) && statSync(value).isFile() ? readSmallFile(value, 'the key file') : value;
  try {
    return parseVerifierKey(text.trim());
  } catch (error) {
    if (isVerifiableLogError(error)) throw new OperatorError(`--key is not a verifier key (<name>+<key id>+<base64>, as GET /v1/log/key answers): ${error.message}`);
    throw error;
  }
}

export function readSmallFile(path: string, what: string): string {
  let size: number;
  try {
    size = statSync(path).size;
  } catch {
    throw new OperatorError(`${what} ${path} cannot be read`);
  }
  if (size > MAX_KEY_FILE_BYTES) throw new OperatorError(`${what} ${path} is ${size} bytes: not a key or a checkpoint`);
  return readFileSync(path, 'utf8');
}
