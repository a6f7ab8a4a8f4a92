/**
 * How the edge should treat an error. The domain never names HTTP statuses;
 * the exception filter maps validation→400, forbidden→403, not_found→404,
 * conflict→409 and rule→422.
 */
export type DomainErrorKind = 'validation' | 'forbidden' | 'not_found' | 'conflict' | 'rule';

/**
 * Every code the domain can throw, with its kind. Codes are part of the public
 * contract (clients switch on them), so they are only ever added, never renamed.
 */
export const DOMAIN_ERRORS = {
  // validation: the input is malformed, whatever the ledger holds
  CURP_LENGTH: 'validation',
  CURP_FORMAT: 'validation',
  CURP_STATE: 'validation',
  CURP_DATE: 'validation',
  CURP_CHECK_DIGIT: 'validation',
  FOLIO_FORMAT: 'validation',
  FOLIO_CHECK: 'validation',
  STANDARD_CODE_FORMAT: 'validation',
  STANDARD_VERSION_FORMAT: 'validation',
  EVIDENCE_DIGEST_FORMAT: 'validation',
  STATE_CODE_UNKNOWN: 'validation',
  INVALID_DATE: 'validation',
  INVALID_FIELD: 'validation',
  INVALID_TEXT: 'validation',
  REQUIRED_FIELD: 'validation',
  VALIDITY_YEARS_OUT_OF_RANGE: 'validation',
  VALIDITY_PERIOD_INVALID: 'validation',
  STANDARDS_REQUIRED: 'validation',
  REVOCATION_REASON_REQUIRED: 'validation',
  PROGRAM_TARGET_INVALID: 'validation',
  // forbidden: the caller may not do this, whatever the input
  ROLE_NOT_ALLOWED: 'forbidden',
  NOT_ACTING_AS_SELF: 'forbidden',
  NOT_ACTING_FOR_PROVIDER: 'forbidden',
  NOT_ENROLLING_PROVIDER: 'forbidden',
  NOT_ENROLLING_ORGANIZATION: 'forbidden',
  NOT_ISSUING_PROVIDER: 'forbidden',
  NOT_ACCREDITING_PROVIDER: 'forbidden',
  CENTRE_NOT_AUTHORISED: 'forbidden',
  // not_found: the thing named in the route does not exist
  PROCESS_NOT_FOUND: 'not_found',
  STANDARD_NOT_FOUND: 'not_found',
  EVALUATOR_NOT_FOUND: 'not_found',
  EVALUATOR_ACCREDITATION_NOT_FOUND: 'not_found',
  PERSON_NOT_FOUND: 'not_found',
  CERTIFICATE_NOT_FOUND: 'not_found',
  PROGRAM_NOT_FOUND: 'not_found',
  // conflict: the ledger already holds something that excludes this
  STANDARD_ALREADY_REGISTERED: 'conflict',
  STANDARD_ALREADY_RETIRED: 'conflict',
  PERSON_CURP_MISMATCH: 'conflict',
  EVALUATOR_SUBJECT_MISMATCH: 'conflict',
  EVALUATOR_ACCREDITATION_ALREADY_REVOKED: 'conflict',
  ALREADY_ENROLLED: 'conflict',
  PROCESS_ALREADY_EXISTS: 'conflict',
  PROCESS_CLOSED: 'conflict',
  ALREADY_COMPETENT: 'conflict',
  CERTIFICATE_ALREADY_ISSUED: 'conflict',
  CERTIFICATE_ALREADY_REVOKED: 'conflict',
  FOLIO_ALREADY_ASSIGNED: 'conflict',
  PERSON_ERASED: 'conflict',
  PERSON_ALREADY_ERASED: 'conflict',
  PROGRAM_ALREADY_LAUNCHED: 'conflict',
  PROGRAM_TARGET_UNCHANGED: 'conflict',
  // rule: well-formed and allowed, but a business invariant says no
  STANDARD_NOT_ACTIVE: 'rule',
  PROVIDER_NOT_ACCREDITED: 'rule',
  PROVIDER_CANNOT_CERTIFY: 'rule',
  CENTRE_NOT_ACCREDITED: 'rule',
  EVALUATOR_NOT_ACCREDITED: 'rule',
  CONFLICT_OF_INTEREST: 'rule',
  NOT_COMPETENT: 'rule',
  DATE_IN_FUTURE: 'rule',
  DATE_BEFORE_PREVIOUS_STEP: 'rule',
  PROGRAM_PERIOD_NOT_EXTENDED: 'rule',
} as const satisfies Record<string, DomainErrorKind>;

export type DomainErrorCode = keyof typeof DOMAIN_ERRORS;

export const DOMAIN_ERROR_CODES = Object.freeze(Object.keys(DOMAIN_ERRORS)) as readonly DomainErrorCode[];

export type DomainErrorDetails = Readonly<Record<string, unknown>>;

/**
 * A broken domain rule. Messages never contain personal data (a CURP, a name),
 * because error bodies and logs are not confidential.
 */
export class DomainError extends Error {
  readonly code: DomainErrorCode;
  readonly kind: DomainErrorKind;
  readonly details?: DomainErrorDetails;

  constructor(code: DomainErrorCode, message: string, details?: DomainErrorDetails) {
    super(message);
    this.name = 'DomainError';
    this.code = code;
    this.kind = DOMAIN_ERRORS[code];
    if (details !== undefined) this.details = details;
  }
}

export function isDomainError(error: unknown): error is DomainError {
  return error instanceof DomainError;
}

/** Throws when the condition is false; keeps rule checks to one line each. */
export function ensure(
  condition: boolean,
  code: DomainErrorCode,
  message: string,
  details?: DomainErrorDetails,
): asserts condition {
  if (!condition) throw new DomainError(code, message, details);
}
