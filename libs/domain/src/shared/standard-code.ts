import { DomainError } from './domain-error';

const STANDARD_CODE_PATTERN = /^EC\d{4}$/;
const STANDARD_VERSION_PATTERN = /^\d{2}$/;

/** A CONOCER competency standard code, `EC` + 4 digits (EC0105); the version (`.01`) is separate. */
export type StandardCode = string;

/** Trims and upper-cases, then requires `EC` + 4 digits; throws STANDARD_CODE_FORMAT. */
export function parseStandardCode(input: unknown, field = 'standardCode'): StandardCode {
  const candidate = typeof input === 'string' ? input.trim().toUpperCase() : '';
  if (!STANDARD_CODE_PATTERN.test(candidate)) {
    throw new DomainError('STANDARD_CODE_FORMAT', `${field} must be EC followed by 4 digits`, { field });
  }
  return candidate;
}

/** The published version suffix, two digits (`01` in EC0217.01). */
export function parseStandardVersion(input: unknown, field = 'version'): string {
  const candidate = typeof input === 'string' ? input.trim() : '';
  if (!STANDARD_VERSION_PATTERN.test(candidate)) {
    throw new DomainError('STANDARD_VERSION_FORMAT', `${field} must be two digits, e.g. 01`, { field });
  }
  return candidate;
}
