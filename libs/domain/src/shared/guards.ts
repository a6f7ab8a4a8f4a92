import type { Actor, Role } from './actor';
import type { CommandMetadata } from './command';
import { DomainError, ensure } from './domain-error';
import { normaliseInstant, type IsoInstant } from './iso-date';
import { parseStandardCode } from './standard-code';
import { parseText } from './text';

/** Longest free text the ledger keeps (names, titles, reasons): a limit on everything. */
export const MAX_TEXT_LENGTH = 500;
/** No accreditation lists more standards than this. */
export const MAX_STANDARDS_PER_ACCREDITATION = 200;

export function requireRole(actor: Actor, allowed: readonly Role[], action: string): void {
  if (!allowed.includes(actor.role)) {
    throw new DomainError('ROLE_NOT_ALLOWED', `role ${actor.role} may not ${action}`, {
      role: actor.role,
      allowed,
    });
  }
}

/**
 * Free text as the ledger records it (see text.ts): no control characters,
 * unpaired surrogates or bidirectional controls (INVALID_TEXT), NFC, trimmed,
 * inner whitespace collapsed; REQUIRED_FIELD when blank, INVALID_FIELD when too long.
 */
export function requireText(value: unknown, field: string, maxLength = MAX_TEXT_LENGTH): string {
  return parseText(value, field, maxLength);
}

/** An identifier: non-blank, at most 128 characters, no surrounding whitespace kept. */
export function requireId(value: unknown, field: string): string {
  return requireText(value, field, 128);
}

/** The server clock from the metadata, canonical. */
export function nowOf(metadata: CommandMetadata): IsoInstant {
  return normaliseInstant(metadata.now, 'metadata.now');
}

/**
 * The business instant of a step: the given one, or the server clock when the
 * caller left it out. Never after `now`: the ledger records facts, not plans.
 */
export function businessInstant(value: unknown, metadata: CommandMetadata, field: string): IsoInstant {
  const now = nowOf(metadata);
  if (value === undefined || value === null) return now;
  const instant = normaliseInstant(value, field);
  if (instant > now) throw new DomainError('DATE_IN_FUTURE', `${field} is after the current time`, { field });
  return instant;
}

/** Throws DATE_BEFORE_PREVIOUS_STEP when `instant` precedes the step it depends on. */
export function ensureNotBefore(instant: IsoInstant, previous: IsoInstant, field: string, previousField: string): void {
  if (instant < previous) {
    throw new DomainError('DATE_BEFORE_PREVIOUS_STEP', `${field} is before ${previousField}`, {
      field,
      previousField,
    });
  }
}

/** The standards of an accreditation (provider or evaluator): validated, upper-cased, duplicates dropped, order kept. */
export function standardList(standards: unknown): string[] {
  ensure(Array.isArray(standards) && standards.length > 0, 'STANDARDS_REQUIRED', 'at least one standard is required', {
    field: 'standards',
  });
  ensure(standards.length <= MAX_STANDARDS_PER_ACCREDITATION, 'INVALID_FIELD', 'too many standards', { field: 'standards' });
  return [...new Set(standards.map((code) => parseStandardCode(code, 'standards')))];
}

/** A revocation without a reason cannot be audited; shared by every revocation in the domain. */
export function revocationReason(reason: unknown): string {
  const blank = typeof reason !== 'string' || reason.trim() === '';
  ensure(!blank, 'REVOCATION_REASON_REQUIRED', 'a revocation needs a reason', { field: 'reason' });
  return requireText(reason, 'reason');
}
