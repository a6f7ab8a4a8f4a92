import { Inject, Injectable, Logger } from '@nestjs/common';
import type { Pool } from 'pg';
import type { DataSource } from 'typeorm';
import { EVENT_STORE, logEntryOf, type EventStore } from '@ledger/event-store';
import type { LedgerConfig, LedgerSecrets } from '@ledger/platform';
import { LogTree, positionAt } from '@ledger/projections';
import { inReadSnapshot, provenanceOf, reachedPosition, type CertificateProvenance, type ProvenanceStep } from '@ledger/read-models';
import { Folio } from '@ledger/domain';
import { openCheckpoint, parseSignerKey, verifierKeyOf, type NoteSignerKey, assembleCertificateProof, CertificateProofError, verifyCertificateProof, type CertificateProofRole, type CertificateProofStatus, type ProvenEntry } from '@ledger/verifiable-log';
import { LEDGER_CONFIG, LEDGER_SECRETS, PG_POOL } from '../platform/config/config.tokens';
import { ProblemException } from '../platform/errors/problem.exception';
import { READ_MODELS } from './read-side.tokens';

/** What a bundle reads: the certificate's history and the evaluator's credentials, folded up to one position. */
const PROOF_PROJECTIONS = ['certification', 'audit', 'registry'] as const;

interface SignedCheckpointRow {
  treeSize: number;
  note: string;
}

interface Located {
  role: CertificateProofRole;
  position: string;
}

/** The instant to the whole second, as `2026-12-01T10:00:00Z`. */
function wholeSecond(now: Date): string {
  return new Date(Math.floor(now.getTime() / 1000) * 1000).toISOString().replace('.000Z', 'Z');
}

/**
 * Builds a certificate's proof bundle (see libs/verifiable-log/src/certificate/certificate-proof.ts):
 * its history's entries, each proven in the latest signed checkpoint the
 * read models have folded up to, and the status as of that checkpoint,
 * signed by the log key. A bundle is checked with the offline verifier
 * before it leaves: the ledger never hands out a proof that does not prove.
 */
@Injectable()
export class CertificateProofs {
  private readonly logger = new Logger(CertificateProofs.name);
  private readonly tree: LogTree;
  private readonly key: NoteSignerKey;

  constructor(
    @Inject(READ_MODELS) private readonly readModels: DataSource,
    @Inject(PG_POOL) pool: Pool,
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(LEDGER_SECRETS) secrets: LedgerSecrets,
    @Inject(LEDGER_CONFIG) private readonly config: LedgerConfig,
  ) {
    this.tree = new LogTree(pool);
    this.key = parseSignerKey(secrets.logKey);
  }

  async bundle(input: string, now = new Date()): Promise<Buffer> {
    const folio = Folio.parse(input).value;
    const asOf = wholeSecond(now);
    const { provenance, checkpoint } = await inReadSnapshot(this.readModels, PROOF_PROJECTIONS, async (reader) => {
      const provenance = await provenanceOf(reader, folio);
      // The latest checkpoint whose every event the read models have folded: the history read is complete up to it.
      const reached = await reachedPosition(reader, PROOF_PROJECTIONS);
      const rows: { tree_size: string; note: string }[] = await reader.query(
        `SELECT c.tree_size::text AS tree_size, c.note FROM read_models.log_checkpoints c
          WHERE ${positionAt('c.tree_size - 1')} <= $1::bigint ORDER BY c.tree_size DESC LIMIT 1`,
        [reached.toString()],
      );
      return { provenance, checkpoint: rows[0] ? { treeSize: Number(rows[0].tree_size), note: rows[0].note } : undefined };
    });
    const located = this.historyOf(provenance);
    if (!checkpoint) throw this.notYetLogged(folio);
    const entries = await Promise.all(located.map((step) => this.entryAt(step, checkpoint)));
    const inTree = entries.filter((entry) => entry.leafIndex < checkpoint.treeSize);
    // The revocation may come after the checkpoint: then the status is the one before it.
    if (inTree.length < entries.filter((entry) => entry.role !== 'revocation').length) throw this.notYetLogged(folio);
    const revoked = inTree.some((entry) => entry.role === 'revocation');
    const validUntil = String(provenance.issuance?.details.validUntil ?? '');
    const status: CertificateProofStatus = revoked ? 'revoked' : Date.parse(validUntil) < Date.parse(asOf) ? 'expired' : 'valid';
    const { rootHash } = openCheckpoint(checkpoint.note, { origin: this.config.logOrigin, verifiers: [verifierKeyOf(this.key)] }).checkpoint;
    const bytes = assembleCertificateProof(
      { folio, status, asOf, signedCheckpoint: checkpoint.note, checkpoint: { treeSize: checkpoint.treeSize, rootHash }, entries: inTree },
      this.key,
    );
    try {
      verifyCertificateProof(bytes, { origin: this.config.logOrigin, verifiers: [verifierKeyOf(this.key)] });
    } catch (error) {
      if (!(error instanceof CertificateProofError)) throw error;
      // The store and the tree disagree (an event changed after it was logged) or the history is not one certificate's.
      this.logger.error(`the log does not prove certificate ${folio}: ${error.code}: ${error.message}; run ledger verify`);
      throw new ProblemException(503, 'LOG_DOES_NOT_PROVE', 'The verifiable log does not prove this certificate right now; its operators have been told', undefined, { 'Retry-After': '60' });
    }
    return bytes;
  }

  /** The events a bundle proves: issuance, enrollment, the judgment it was issued on, that judgment's credential, the revocation. */
  private historyOf(provenance: CertificateProvenance): Located[] {
    const { issuance, enrollment, revocation } = provenance;
    const issuedAt = issuance ? BigInt(issuance.position) : undefined;
    const evaluatorId = issuance?.details.evaluatorId;
    const judgment = provenance.evaluations
      .filter((step) => step.details.result === 'competent' && step.details.evaluatorId === evaluatorId && issuedAt !== undefined && BigInt(step.position) < issuedAt)
      .at(-1);
    const accreditation = judgment?.accreditation;
    const missing = [!issuance && 'issuance', !enrollment && 'enrollment', !judgment && 'competent judgment', !accreditation && "judging evaluator's accreditation"].filter(Boolean);
    if (missing.length > 0) {
      throw new ProblemException(404, 'PROOF_NOT_AVAILABLE', `The ledger holds no ${missing.join(', ')} of certificate ${provenance.folio}: there is nothing to prove it with`);
    }
    const at = (role: CertificateProofRole, step: Pick<ProvenanceStep, 'position'>): Located => ({ role, position: step.position });
    return [
      at('issuance', issuance!),
      at('enrollment', enrollment!),
      at('judgment', judgment!),
      at('accreditation', accreditation!),
      ...(revocation ? [at('revocation', revocation)] : []),
    ];
  }

  private async entryAt(step: Located, checkpoint: SignedCheckpointRow): Promise<ProvenEntry> {
    const position = BigInt(step.position);
    const [[event], leaf] = await Promise.all([this.store.readAll({ fromPosition: position, maxCount: 1 }), this.tree.leafAt(position)]);
    if (!event || event.position !== position) {
      throw new ProblemException(503, 'LOG_DOES_NOT_PROVE', 'The verifiable log does not prove this certificate right now; its operators have been told', undefined, { 'Retry-After': '60' });
    }
    const leafIndex = leaf?.leafIndex ?? Number.MAX_SAFE_INTEGER;
    const inclusionProof = leafIndex < checkpoint.treeSize ? await this.tree.inclusionProof(leafIndex, checkpoint.treeSize) : [];
    return { role: step.role, type: event.type, position: step.position, leafIndex, entry: logEntryOf(event), inclusionProof };
  }

  private notYetLogged(folio: string): ProblemException {
    const seconds = String(Math.max(1, Math.ceil(this.config.checkpointIntervalMs / 1000)));
    return new ProblemException(404, 'PROOF_NOT_YET_AVAILABLE', `Certificate ${folio} is not yet in a signed checkpoint of the log; one is signed every ${seconds} s`, undefined, {
      'Retry-After': seconds,
    });
  }
}
