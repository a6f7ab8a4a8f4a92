import type { Command } from 'commander';
import { randomInt } from 'node:crypto';
import { existsSync, renameSync, writeFileSync } from 'node:fs';
import { Presets, SingleBar } from 'cli-progress';
import {
  decodeBase64Strict,
  equalHashes,
  hashLeaf,
  isVerifiableLogError,
  openCheckpoint,
  verifyConsistency,
  verifyInclusion,
  type Checkpoint,
  type NoteVerifierKey,
} from '@ledger/verifiable-log';
import { OperatorError, type CliCommand } from './cli-command';
import { readSmallFile, trustedLogKey } from './trusted-key';

/** Answers an auditor reads are small: a checkpoint, a proof, one entry. */
const MAX_ANSWER_BYTES = 1024 * 1024;
const REQUEST_TIMEOUT_MS = 30_000;
const DEFAULT_SAMPLE = 32;
const MAX_FINDINGS_SHOWN = 10;
const MAX_ATTEMPTS = 20;
const MAX_RETRY_AFTER_SECONDS = 60;

export interface AuditOptions {
  url: string;
  key: string;
  checkpoint?: string;
  token?: string;
  sample: string;
  all?: boolean;
  concurrency: string;
  quiet?: boolean;
}

interface LeafFinding {
  readonly leafIndex: number;
  readonly position?: string;
  readonly detail: string;
}

/** The log answers, as an outside auditor reaches them: plain HTTP, nothing of the ledger's code on the other side. */
class LogClient {
  constructor(
    private readonly baseUrl: string,
    private readonly token: string | undefined,
  ) {}

  /** With a token every request carries it: the ledger never throttles a caller with a valid token. Without, 429 and 503 are waited out as Retry-After says. */
  async text(path: string, options: { notFound?: 'undefined' } = {}): Promise<Buffer | undefined> {
    let response: Response;
    for (let attempt = 1; ; attempt += 1) {
      try {
        response = await fetch(`${this.baseUrl}${path}`, {
          headers: this.token ? { authorization: `Bearer ${this.token}` } : {},
          signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
          redirect: 'error',
        });
      } catch (error) {
        throw new OperatorError(`the ledger at ${this.baseUrl} cannot be reached (${path}): ${(error as Error).message}`);
      }
      if ((response.status !== 429 && response.status !== 503) || attempt >= MAX_ATTEMPTS) break;
      await response.arrayBuffer().catch(() => undefined);
      const seconds = Math.min(Number(response.headers.get('retry-after')) || 1, MAX_RETRY_AFTER_SECONDS);
      await new Promise((resolve) => setTimeout(resolve, seconds * 1000));
    }
    const declared = Number(response.headers.get('content-length') ?? 0);
    if (declared > MAX_ANSWER_BYTES) throw new OperatorError(`${path} answered ${declared} bytes: more than any log answer`);
    const body = Buffer.from(await response.arrayBuffer());
    if (body.length > MAX_ANSWER_BYTES) throw new OperatorError(`${path} answered ${body.length} bytes: more than any log answer`);
    if (response.status === 404 && options.notFound === 'undefined') return undefined;
    if (response.status !== 200) throw new OperatorError(`${path} answered ${response.status}: ${body.toString('utf8').slice(0, 300)}`);
    return body;
  }

  async json<T>(path: string): Promise<T> {
    const body = (await this.text(path)) as Buffer;
    try {
      return JSON.parse(body.toString('utf8')) as T;
    } catch {
      throw new OperatorError(`${path} did not answer JSON`);
    }
  }
}

/**
 * `ledger audit --url URL --key VKEY [--checkpoint FILE]`: what an outside
 * auditor runs, with nothing but the ledger's public routes and its log key.
 * It fetches the latest checkpoint and checks its signature; checks it is
 * consistent with the checkpoint saved in FILE by the last run (a log that
 * was rewritten and re-signed, even with the same key, cannot be); checks
 * the inclusion of sampled leaves (every leaf with --all) in the signed root,
 * and, with a comptroller token, re-derives each of them from its entry, so
 * that an event changed, deleted or moved in the store is found even where
 * the tree was left alone. It saves the new checkpoint only when all holds.
 */
export const auditCommand: CliCommand = {
  register(program: Command): void {
    program
      .command('audit')
      .description("Check a ledger's verifiable log from outside: the latest checkpoint's signature, its consistency with the one saved last time, and leaves")
      .requiredOption('--url <url>', "the ledger's base URL, e.g. https://ledger.example.gob.mx")
      .requiredOption('--key <vkey>', 'the log verifier key (<name>+<key id>+<base64>, obtained once, out of band), or a file holding it')
      .option('--checkpoint <file>', 'the checkpoint saved by the last audit: checked for consistency, then replaced by the new one')
      .option('--token <token>', 'a comptroller token (or LEDGER_AUDIT_TOKEN): re-derive the leaves from their entries')
      .option('--sample <n>', 'how many leaves to check, at random', String(DEFAULT_SAMPLE))
      .option('--all', 'check every leaf')
      .option('--concurrency <n>', 'requests in flight', '8')
      .option('--quiet', 'no progress bar')
      .action(async (options: AuditOptions) => {
        const outcome = await audit(options);
        process.stdout.write(`${outcome.lines.join('\n')}\n`);
        if (!outcome.ok) throw new OperatorError(outcome.failure);
      });
  },
};

export type AuditOutcome = { ok: true; lines: string[] } | { ok: false; lines: string[]; failure: string };

/** The audit itself, as the command runs it: what it found, line by line, and why it failed if it did. */
export async function audit(options: AuditOptions): Promise<AuditOutcome> {
  const baseUrl = baseUrlOf(options.url);
  const key = trustedLogKey(options.key);
  const trust = { origin: key.name, verifiers: [key] };
  const token = options.token ?? process.env.LEDGER_AUDIT_TOKEN;
  const sample = wholeNumber('--sample', options.sample, 0, 1_000_000);
  const concurrency = wholeNumber('--concurrency', options.concurrency, 1, 64);
  const client = new LogClient(baseUrl, token);
  const lines: string[] = [];

  const latestNote = ((await client.text('/v1/log/checkpoint')) as Buffer).toString('utf8');
  const latest = signed(latestNote, trust, 'the latest checkpoint');
  lines.push(`checkpoint: ${latest.treeSize} leaves, root ${latest.rootHash.toString('base64')}, signed by ${key.name}`);

  if (options.checkpoint && existsSync(options.checkpoint)) {
    const savedNote = readSmallFile(options.checkpoint, 'the saved checkpoint');
    const saved = signed(savedNote, trust, `the checkpoint saved in ${options.checkpoint}`);
    const fork = await forkBetween(client, saved, latest, trust);
    if (fork) {
      lines.push(`FORK: ${fork}`, 'the two checkpoints, both signed by the log key, are the evidence:', '--- saved', savedNote.trimEnd(), '--- served now', latestNote.trimEnd());
      return { ok: false, lines, failure: `the log's history was rewritten: ${fork}; ${options.checkpoint} is kept as it was` };
    }
    lines.push(
      saved.treeSize === latest.treeSize
        ? `consistent: the same tree of ${latest.treeSize} leaves as the checkpoint saved last time`
        : `consistent: the tree of ${latest.treeSize} leaves extends the ${saved.treeSize} saved last time (consistency proof checked)`,
    );
  } else if (options.checkpoint) {
    lines.push(`no checkpoint saved in ${options.checkpoint} yet: this one is trusted as first seen`);
  }

  const indexes = leavesToCheck(latest.treeSize, options.all ? latest.treeSize : sample);
  const findings = await checkLeaves(client, latest, indexes, { withEntries: token !== undefined, concurrency, quiet: options.quiet ?? false });
  const what = token ? 'proven in the signed root and re-derived from their entries' : 'proven in the signed root (a comptroller token would also re-derive them from their entries)';
  if (findings.length > 0) {
    findings.sort((a, b) => a.leafIndex - b.leafIndex);
    for (const finding of findings.slice(0, MAX_FINDINGS_SHOWN)) {
      lines.push(`leaf ${finding.leafIndex}${finding.position === undefined ? '' : ` (position ${finding.position})`}: ${finding.detail}`);
    }
    if (findings.length > MAX_FINDINGS_SHOWN) lines.push(`… and ${findings.length - MAX_FINDINGS_SHOWN} more`);
    const first = findings[0];
    return {
      ok: false,
      lines,
      failure: `${findings.length} of ${indexes.length} leaves checked do not hold; the first at leaf ${first.leafIndex}${first.position === undefined ? '' : `, position ${first.position}`}`,
    };
  }
  lines.push(`${indexes.length} of ${latest.treeSize} leaves ${what}`);
  if (options.checkpoint) {
    const temporary = `${options.checkpoint}.${process.pid}.tmp`;
    writeFileSync(temporary, latestNote);
    renameSync(temporary, options.checkpoint);
    lines.push(`saved the checkpoint of ${latest.treeSize} leaves in ${options.checkpoint}`);
  }
  return { ok: true, lines };
}

function baseUrlOf(text: string): string {
  const url = URL.canParse(text) ? new URL(text) : undefined;
  if (!url || !['http:', 'https:'].includes(url.protocol) || url.username || url.password || url.search || url.hash) {
    throw new OperatorError('--url must be the http:// or https:// base URL of a ledger, without credentials or query');
  }
  return `${url.origin}${url.pathname.replace(/\/+$/, '')}`;
}

function wholeNumber(name: string, text: string, min: number, max: number): number {
  const value = Number(text);
  if (!/^\d+$/.test(text) || value < min || value > max) throw new OperatorError(`${name} must be a whole number from ${min} to ${max}`);
  return value;
}

function signed(note: string, trust: { origin: string; verifiers: readonly NoteVerifierKey[] }, what: string): Checkpoint {
  try {
    return openCheckpoint(note, trust).checkpoint;
  } catch (error) {
    if (isVerifiableLogError(error)) throw new OperatorError(`${what} is not a checkpoint of ${trust.origin} signed by the key: ${error.message}`);
    throw error;
  }
}

/** Why the latest checkpoint cannot be a later state of the saved one, if it cannot. */
async function forkBetween(client: LogClient, saved: Checkpoint, latest: Checkpoint, trust: { origin: string; verifiers: readonly NoteVerifierKey[] }): Promise<string | undefined> {
  if (saved.treeSize > latest.treeSize) return `the log now signs ${latest.treeSize} leaves after it signed ${saved.treeSize}: it went back`;
  if (saved.treeSize === latest.treeSize) {
    return equalHashes(saved.rootHash, latest.rootHash) ? undefined : `two different roots were signed for the tree of ${saved.treeSize} leaves`;
  }
  if (saved.treeSize === 0) return undefined;
  // The log's own record of that size must be the one saved.
  const kept = await client.text(`/v1/log/checkpoints/${saved.treeSize}`, { notFound: 'undefined' });
  if (kept) {
    const again = signed(kept.toString('utf8'), trust, `the checkpoint of ${saved.treeSize} leaves the log keeps`);
    if (!equalHashes(again.rootHash, saved.rootHash)) return `the log now keeps another checkpoint of ${saved.treeSize} leaves than the one it signed before`;
  }
  const proof = await client.json<{ hashes?: unknown }>(`/v1/log/proofs/consistency?from=${saved.treeSize}&to=${latest.treeSize}`);
  const hashes = Array.isArray(proof.hashes) ? proof.hashes.map((hash) => (typeof hash === 'string' ? decodeBase64Strict(hash) : undefined)) : [];
  if (hashes.some((hash) => hash === undefined)) return 'the consistency proof served is malformed';
  const verdict = verifyConsistency({ oldSize: saved.treeSize, newSize: latest.treeSize, oldRoot: saved.rootHash, newRoot: latest.rootHash, proof: hashes as Buffer[] });
  return verdict.valid ? undefined : `the tree of ${latest.treeSize} leaves signed now does not extend the tree of ${saved.treeSize} saved (${verdict.message})`;
}

/** Every leaf, or a sample: the first, the last, and others drawn at random. */
function leavesToCheck(treeSize: number, count: number): number[] {
  if (treeSize === 0 || count === 0) return [];
  if (count >= treeSize) return Array.from({ length: treeSize }, (_, index) => index);
  const chosen = new Set<number>([0, treeSize - 1]);
  while (chosen.size < count) chosen.add(randomInt(0, Math.min(treeSize, 2 ** 48 - 1)));
  return [...chosen].sort((a, b) => a - b);
}

async function checkLeaves(
  client: LogClient,
  checkpoint: Checkpoint,
  indexes: readonly number[],
  options: { withEntries: boolean; concurrency: number; quiet: boolean },
): Promise<LeafFinding[]> {
  const findings: LeafFinding[] = [];
  const bar = new SingleBar({ format: 'audit [{bar}] {percentage}% | leaf {value}/{total} | {eta_formatted} left', hideCursor: true }, Presets.shades_classic);
  const showBar = !options.quiet && indexes.length > 1_000;
  if (showBar) bar.start(indexes.length, 0);
  let next = 0;
  let done = 0;
  const worker = async () => {
    while (next < indexes.length) {
      const leafIndex = indexes[next++];
      const finding = await checkLeaf(client, checkpoint, leafIndex, options.withEntries);
      if (finding) findings.push(finding);
      done += 1;
      if (showBar && done % 100 === 0) bar.update(done);
    }
  };
  try {
    await Promise.all(Array.from({ length: Math.min(options.concurrency, indexes.length) }, worker));
  } finally {
    if (showBar) {
      bar.update(done);
      bar.stop();
    }
  }
  return findings;
}

async function checkLeaf(client: LogClient, checkpoint: Checkpoint, leafIndex: number, withEntries: boolean): Promise<LeafFinding | undefined> {
  const answer = await client.json<{ position?: unknown; leafIndex?: unknown; leafHash?: unknown; hashes?: unknown }>(
    `/v1/log/proofs/inclusion?leafIndex=${leafIndex}&treeSize=${checkpoint.treeSize}`,
  );
  const position = typeof answer.position === 'string' && /^\d+$/.test(answer.position) ? answer.position : undefined;
  const leafHash = typeof answer.leafHash === 'string' ? decodeBase64Strict(answer.leafHash) : undefined;
  const hashes = Array.isArray(answer.hashes) ? answer.hashes.map((hash) => (typeof hash === 'string' ? decodeBase64Strict(hash) : undefined)) : [undefined];
  if (answer.leafIndex !== leafIndex || !position || !leafHash || hashes.some((hash) => hash === undefined)) {
    return { leafIndex, detail: 'the inclusion proof served is malformed' };
  }
  const verdict = verifyInclusion({ leafIndex, treeSize: checkpoint.treeSize, leafHash, proof: hashes as Buffer[], rootHash: checkpoint.rootHash });
  if (!verdict.valid) return { leafIndex, position, detail: `not in the signed tree: ${verdict.message}` };
  if (!withEntries) return undefined;
  const entry = await client.text(`/v1/log/entries/${position}`, { notFound: 'undefined' });
  if (!entry) return { leafIndex, position, detail: 'missing: the signed tree holds an event the ledger no longer has at this position' };
  if (!equalHashes(hashLeaf(entry), leafHash)) {
    return { leafIndex, position, detail: 'changed: the event the ledger holds at this position is not the one the signed tree hashed (edited, or another put in its place)' };
  }
  return undefined;
}
