import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import {
  emptyTreeRoot,
  equalHashes,
  openCheckpoint,
  signCheckpoint,
  verifierKeyOf,
  verifyConsistency,
  type NoteSignerKey,
} from '@ledger/verifiable-log';
import { Client } from 'pg';
import { ADVISORY_LOCK_NAMESPACE } from '../generations';
import type { LogLevel } from '../projection-worker';
import { LogTree } from './log-tree';

export interface CheckpointSignerOptions {
  readonly connectionString: string;
  /** The log key; its name is the log's origin. */
  readonly signer: NoteSignerKey;
  readonly intervalMs: number;
  /**
   * A file (in the data folder) that keeps the last checkpoint signed, apart
   * from the database: a database restored from an older backup, or swapped,
   * is then caught before a checkpoint of a different history is signed.
   */
  readonly lastSignedFile?: string;
  readonly log?: (message: string, level?: LogLevel) => void;
}

export type SigningOutcome =
  | { readonly kind: 'signed'; readonly treeSize: number }
  | { readonly kind: 'unchanged'; readonly treeSize: number }
  /** The tree is smaller than the last checkpoint: a rebuild under way, or a restored database. Nothing is signed. */
  | { readonly kind: 'behind'; readonly treeSize: number; readonly signedSize: number }
  /** The tree does not extend the last checkpoint: nothing is signed, ever, until an operator looks. */
  | { readonly kind: 'refused'; readonly reason: string }
  /** Another instance signs. */
  | { readonly kind: 'standby' };

interface SignedCheckpoint {
  readonly treeSize: number;
  readonly rootHash: Buffer;
  readonly note: string;
}

/** Where a ledger keeps its last signed checkpoint, in its data folder. */
export function lastSignedCheckpointFile(dataDir: string): string {
  return join(dataDir, 'log', 'last-checkpoint');
}

/** Second key of the advisory lock the one signer holds (the first is the projections' namespace). */
const SIGNER_LOCK = -1;

/**
 * Signs a checkpoint of the verifiable log (C2SP tlog-checkpoint, Ed25519
 * signed note) every interval while the tree grows, and keeps every one.
 * Before signing it proves the tree consistent with the last checkpoint it
 * signed (RFC 9162 consistency proof from the stored hashes, checked with
 * the last signed root): a tree that does not extend it (a rebuild that
 * came out different, a database restored to another history, stored
 * hashes edited) is refused and reported, so the ledger never signs two
 * checkpoints that contradict each other. One instance signs: the holder of
 * an advisory lock; the others stand by.
 */
export class CheckpointSigner {
  private client?: Client;
  private timer?: NodeJS.Timeout;
  private ticking?: Promise<unknown>;
  private stopped = false;
  private reported?: string;
  private refused?: string;

  constructor(private readonly options: CheckpointSignerOptions) {}

  start(): void {
    this.schedule(0);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.ticking?.catch(() => undefined);
    await this.client?.end().catch(() => undefined);
  }

  private schedule(delay: number): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      this.ticking = this.signNow()
        .then((outcome) => this.report(outcome))
        .catch((error: Error) => this.reportOnce(`checkpoint signer: ${error.message}`, 'warn'))
        .finally(() => this.schedule(this.options.intervalMs));
    }, delay);
  }

  /**
   * Why this signer's last round refused to sign (the tree does not extend
   * the last checkpoint), for readiness to report; undefined once a round
   * signs, finds the tree unchanged or behind, or stands by. A round that
   * failed leaves it as it was.
   */
  refusal(): string | undefined {
    return this.refused;
  }

  /** One round: sign the current tree if it grew and extends the last checkpoint. */
  async signNow(): Promise<SigningOutcome> {
    const client = await this.connection();
    if (!(await this.holdsLock(client))) return { kind: 'standby' };
    await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ');
    try {
      const { outcome, keep } = await this.signInSnapshot(client);
      await client.query('COMMIT');
      // After the commit: a crash between the two leaves the file one checkpoint behind the table, which the next round reads as consistent.
      if (keep) this.keepInFile(keep);
      return outcome;
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw error;
    }
  }

  private async signInSnapshot(client: Client): Promise<{ outcome: SigningOutcome; keep?: string }> {
    const tree = new LogTree(client);
    const head = await tree.head();
    const inDatabase = await this.lastInDatabase(client);
    const inFile = this.lastInFile();
    const last = latest(inDatabase, inFile);
    if (last && head.treeSize < last.treeSize) return { outcome: { kind: 'behind', treeSize: head.treeSize, signedSize: last.treeSize } };
    if (last && head.treeSize === last.treeSize) {
      if (!equalHashes(head.rootHash, last.rootHash)) {
        return { outcome: { kind: 'refused', reason: `the tree of ${head.treeSize} leaves has another root than the checkpoint signed at that size` } };
      }
      // Signed and kept in the data folder, but the table never got it (a crash between the two): it is put back, not signed again.
      if (last === inFile && inFile.treeSize !== inDatabase?.treeSize) await this.record(client, inFile.treeSize, inFile.rootHash, inFile.note);
      return { outcome: { kind: 'unchanged', treeSize: head.treeSize } };
    }
    // The builder's root must be the root its stored hashes give: the edge row alone is no proof.
    if (!equalHashes(await tree.root(head.treeSize), head.rootHash)) {
      return { outcome: { kind: 'refused', reason: `the stored hashes of the tree of ${head.treeSize} leaves do not give its root` } };
    }
    if (last) {
      const refusal = await consistencyRefusal(tree, last, head.treeSize, head.rootHash);
      if (refusal) return { outcome: { kind: 'refused', reason: refusal } };
      if (last === inFile && inFile.treeSize !== inDatabase?.treeSize) await this.record(client, inFile.treeSize, inFile.rootHash, inFile.note);
    }
    const note = signCheckpoint({ origin: this.options.signer.name, treeSize: head.treeSize, rootHash: head.rootHash, extensionLines: [] }, [this.options.signer]);
    await this.record(client, head.treeSize, head.rootHash, note);
    return { outcome: { kind: 'signed', treeSize: head.treeSize }, keep: note };
  }

  private async record(client: Client, treeSize: number, rootHash: Buffer, note: string): Promise<void> {
    await client.query('INSERT INTO read_models.log_checkpoints (tree_size, root_hash, note) VALUES ($1, $2, $3) ON CONFLICT (tree_size) DO NOTHING', [String(treeSize), rootHash, note]);
    await client.query("SELECT pg_notify('log_checkpoints', $1)", [String(treeSize)]); // LOG_CHECKPOINT_CHANNEL: the proof caches (log-proof-cache.ts) follow at commit
  }

  private async lastInDatabase(client: Client): Promise<SignedCheckpoint | undefined> {
    const { rows } = await client.query<{ tree_size: string; root_hash: Buffer; note: string }>(
      'SELECT tree_size::text, root_hash, note FROM read_models.log_checkpoints c ORDER BY c.tree_size DESC LIMIT 1',
    );
    return rows[0] && { treeSize: Number(rows[0].tree_size), rootHash: rows[0].root_hash, note: rows[0].note };
  }

  /** The checkpoint kept in the data folder, checked like any: signed by this log's key, for this origin. */
  private lastInFile(): SignedCheckpoint | undefined {
    const file = this.options.lastSignedFile;
    if (!file || !existsSync(file)) return undefined;
    const note = readFileSync(file, 'utf8');
    const { checkpoint } = openCheckpoint(note, { origin: this.options.signer.name, verifiers: [verifierKeyOf(this.options.signer)] });
    return { treeSize: checkpoint.treeSize, rootHash: checkpoint.rootHash, note };
  }

  private keepInFile(note: string): void {
    const file = this.options.lastSignedFile;
    if (!file) return;
    mkdirSync(dirname(file), { recursive: true });
    const temporary = `${file}.${process.pid}.tmp`;
    writeFileSync(temporary, note, { mode: 0o644 });
    // A rename replaces the file whole: a crash leaves the old checkpoint or the new one, never half of one.
    renameSync(temporary, file);
  }

  private async connection(): Promise<Client> {
    if (this.client) return this.client;
    const client = new Client({ connectionString: this.options.connectionString, application_name: 'ledger-checkpoint-signer' });
    client.on('error', (error) => {
      this.reportOnce(`checkpoint signer connection failed: ${error.message}`, 'warn');
      if (this.client === client) this.client = undefined;
    });
    await client.connect();
    this.client = client;
    return client;
  }

  private async holdsLock(client: Client): Promise<boolean> {
    const { rows } = await client.query<{ locked: boolean }>('SELECT pg_try_advisory_lock($1, $2) AS locked', [ADVISORY_LOCK_NAMESPACE, SIGNER_LOCK]);
    return rows[0].locked;
  }

  private report(outcome: SigningOutcome): void {
    this.refused = outcome.kind === 'refused' ? outcome.reason : undefined;
    if (outcome.kind === 'refused') return this.reportOnce(`refusing to sign a checkpoint: ${outcome.reason}. No checkpoint will be signed until this is resolved (npm run ledger -- verify)`, 'error');
    if (outcome.kind === 'behind') return this.reportOnce(`the tree (${outcome.treeSize} leaves) is behind the last signed checkpoint (${outcome.signedSize}); signing resumes once it has caught up`, 'warn');
    this.reported = undefined;
  }

  /** The same trouble is logged once, until it changes or ends. */
  private reportOnce(message: string, level: LogLevel): void {
    if (this.reported === message) return;
    this.reported = message;
    this.options.log?.(message, level);
  }
}

function latest(a: SignedCheckpoint | undefined, b: SignedCheckpoint | undefined): SignedCheckpoint | undefined {
  if (!a || !b) return a ?? b;
  return b.treeSize > a.treeSize ? b : a;
}

/** Why the tree of `newSize` leaves (root `newRoot`) does not extend `last`; undefined when it does. */
async function consistencyRefusal(tree: LogTree, last: SignedCheckpoint, newSize: number, newRoot: Buffer): Promise<string | undefined> {
  if (last.treeSize === 0) {
    return equalHashes(last.rootHash, emptyTreeRoot()) ? undefined : 'the checkpoint signed for the empty tree has another root than the empty tree';
  }
  const proof = await tree.consistencyProof(last.treeSize, newSize);
  const verdict = verifyConsistency({ oldSize: last.treeSize, newSize, oldRoot: last.rootHash, newRoot, proof });
  if (verdict.valid) return undefined;
  return `the tree of ${newSize} leaves does not extend the checkpoint signed at ${last.treeSize} leaves (${verdict.message})`;
}
