import { createHash, randomUUID } from 'node:crypto';

/** Namespace of the ledger's name-based UUIDs (a random UUID fixed once; never change it). */
export const LEDGER_UUID_NAMESPACE = '5f0b7c52-9a4e-4d0e-8a31-2f6c1d9e7b40';

/**
 * A name-based UUID (version 5, SHA-1, RFC 9562 §5.5): the same namespace and
 * name always give the same UUID. This is what makes retries safe: ids derived
 * from a command id come out the same when the command is retried.
 */
export function uuidV5(name: string, namespace: string = LEDGER_UUID_NAMESPACE): string {
  const namespaceBytes = Buffer.from(namespace.replace(/-/g, ''), 'hex');
  if (namespaceBytes.length !== 16) throw new RangeError('namespace must be a UUID');
  const hash = createHash('sha1').update(namespaceBytes).update(name, 'utf8').digest();
  hash[6] = (hash[6] & 0x0f) | 0x50;
  hash[8] = (hash[8] & 0x3f) | 0x80;
  const hex = hash.subarray(0, 16).toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/**
 * The command id for a request. With an Idempotency-Key it is derived from
 * the caller and the key, so a retry after a crash produces the same event
 * ids and the store keeps the events of the first attempt only; without a key
 * every request is a new command, its id a fresh one (the ledger's clock gives it).
 */
export function commandIdFor(scope: string, idempotencyKey: string | undefined, freshId: () => string = randomUUID): string {
  return idempotencyKey === undefined ? freshId() : uuidV5(`command:${scope}:${idempotencyKey}`);
}

/** The id of the `index`-th event a command appends to a stream: deterministic, so re-appends deduplicate. */
export function eventIdFor(commandId: string, streamId: string, index: number): string {
  return uuidV5(`event:${commandId}:${streamId}:${index}`);
}

/** A sub-command of a batch (one item) gets its own id, derived from the batch's. */
export function childCommandId(parentCommandId: string, itemKey: string): string {
  return uuidV5(`child:${parentCommandId}:${itemKey}`);
}
