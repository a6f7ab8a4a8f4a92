import { DomainError } from './domain-error';

const EVIDENCE_DIGEST_PATTERN = /^sha256:[0-9a-f]{64}$/;

/** `sha256:<64 lower-case hex>`: the evidence portfolio stays outside the ledger, its digest inside. */
export type EvidenceDigest = string;

export function isEvidenceDigest(value: unknown): value is EvidenceDigest {
  return typeof value === 'string' && EVIDENCE_DIGEST_PATTERN.test(value);
}

/** Trims and lower-cases (hex case carries no meaning), then validates; throws EVIDENCE_DIGEST_FORMAT. */
export function parseEvidenceDigest(input: unknown, field = 'evidenceDigest'): EvidenceDigest {
  const candidate = typeof input === 'string' ? input.trim().toLowerCase() : '';
  if (!EVIDENCE_DIGEST_PATTERN.test(candidate)) {
    throw new DomainError('EVIDENCE_DIGEST_FORMAT', `${field} must be sha256: followed by 64 hex digits`, { field });
  }
  return candidate;
}
