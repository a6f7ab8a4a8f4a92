import type { Actor, Role } from './actor';
import type { CommandMetadata } from './command';
import { DomainError } from './domain-error';
import { normaliseInstant, type IsoInstant } from './iso-date';

/** Longest free text the ledger keeps (names, titles, reasons): a limit on everything. */
export const MAX_TEXT_LENGTH = 500;

export function requireRole(actor: Actor, allowed: readonly Role[], action: string): void {
  if (!allowed.includes(actor.role)) {
    throw new DomainError('ROLE_NOT_ALLOWED', `role ${actor.role} may not ${action}`, {
      role: actor.role,
      allowed,
    });
  }
}

/** Trims and collapses inner whitespace; throws REQUIRED_FIELD when blank, INVALID_FIELD when too long. */
export function requireText(value: unknown, field: string, maxLength = MAX_TEXT_LENGTH): string {
  const text = typeof value === 'string' ? value.trim().replace(/\s+/g, ' ') : '';
  if (text === '') throw new DomainError('REQUIRED_FIELD', `${field} is required`, { field });
  if (text.length > maxLength) {
    throw new DomainError('INVALID_FIELD', `${field} is longer than ${maxLength} characters`, { field });
  }
  return text;
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
