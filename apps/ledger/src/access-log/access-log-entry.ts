import { subjectIdOf } from '@ledger/platform';

/**
 * One answer that showed personal data: who (the caller's token), which
 * subjects (opaque subjectIds, never a CURP or a name), through which route
 * (its pattern, never the raw URL), when, and the request's correlation id.
 */
export interface AccessLogEntry {
  /** When the answer was given, ISO 8601 UTC. */
  readonly readAt: string;
  readonly actorId: string;
  readonly actorRole: string;
  readonly actorOrganizationId: string;
  /** A scoped comptroller's state, as the token said; null for every other caller. */
  readonly actorJurisdiction: string | null;
  /** The route pattern, as API.md writes it: `/v1/certificates/{folio}`. */
  readonly route: string;
  readonly correlationId: string;
  /** Distinct, in the order the answer showed them; never empty. */
  readonly subjectIds: readonly string[];
}

/** The ledger's subject ids: HMAC-SHA-256 in lower-case hex. A CURP can never have this shape. */
export const SUBJECT_ID = /^[0-9a-f]{64}$/;

/**
 * A route pattern: `/v1/` then segments that are lower-case words or
 * `{parameter}`. A raw path (a folio, a process id, a subjectId in it) has
 * digits, upper case or a long run of letters in some segment and is refused: the log records which
 * route was used, the subjects are recorded apart.
 */
export const ROUTE_PATTERN = /^\/v1(\/([a-z]{1,24}(-[a-z]{1,24})*|\{[a-zA-Z]{1,24}\}))+$/;

/** A CURP-shaped run (the shape the log scrubber hides), anywhere in a text. */
const CURP_SHAPE = /[A-Z][AEIOUX][A-Z]{2}\d{6}[HMX][A-Z]{5}[0-9A-Z]\d/gi;

export function containsCurpShape(text: string): boolean {
  CURP_SHAPE.lastIndex = 0;
  const found = CURP_SHAPE.test(text);
  CURP_SHAPE.lastIndex = 0;
  return found;
}

/**
 * Texts the caller chose (a token's `sub` from an identity provider that
 * uses CURPs as subject identifiers, an X-Correlation-Id header) may hold a
 * CURP. Each CURP-shaped run becomes `subject-<subjectId>`, the same keyed
 * hash the ledger identifies people by, so an actor is still found by that
 * id and the entry holds no CURP.
 */
export function pseudonymiseCurps(text: string, subjectKey: string): string {
  return text.replace(CURP_SHAPE, (run) => `subject-${subjectIdOf(subjectKey, run.toUpperCase())}`);
}

/** Express writes parameters as `:folio`; API.md and the log as `{folio}`. */
export function routePatternOf(expressPath: string): string {
  return expressPath.replace(/:([A-Za-z]+)/g, '{$1}');
}

/**
 * Distinct subject ids in order; throws on anything that is not a subjectId
 * (a programmer's mistake, never the caller's). A frozen list (the holders
 * of a kept page, shown again and again) is checked once: its answer,
 * frozen too, is kept beside it for as long as the list lives.
 */
export function distinctSubjectIds(subjectIds: readonly string[]): readonly string[] {
  const known = checkedLists.get(subjectIds);
  if (known) return known;
  const seen = new Set<string>();
  for (const subjectId of subjectIds) {
    if (typeof subjectId !== 'string' || !SUBJECT_ID.test(subjectId)) throw new Error('The access log records subjectIds only (64 lower-case hexadecimal characters)');
    seen.add(subjectId);
  }
  const distinct = [...seen];
  if (!Object.isFrozen(subjectIds)) return distinct;
  Object.freeze(distinct);
  checkedLists.set(subjectIds, distinct);
  return distinct;
}

/** Frozen lists of subject ids already checked, and their distinct ids (frozen). */
const checkedLists = new WeakMap<readonly string[], readonly string[]>();

export function assertRoutePattern(route: string): void {
  if (!ROUTE_PATTERN.test(route)) throw new Error(`The access log records route patterns such as /v1/certificates/{folio}, not ${JSON.stringify(route.slice(0, 80))}`);
}
