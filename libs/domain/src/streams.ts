import { Curp } from './shared/curp';
import { Folio } from './shared/folio';

/**
 * Stream names are `{category}-{id}`. The id may itself contain hyphens
 * (`provider-ECE322-18`, `folio-7K3M-…`), so parsing splits at the first one.
 * Names are logged and shown to comptrollers: they never carry personal data.
 */
export const STREAM_CATEGORIES = ['standard', 'provider', 'evaluator', 'person', 'certification', 'folio', 'program'] as const;
export type StreamCategory = (typeof STREAM_CATEGORIES)[number];

const MAX_ID_LENGTH = 128;

function streamName(category: StreamCategory, id: string): string {
  if (typeof id !== 'string' || id.length === 0 || id.length > MAX_ID_LENGTH || /\s/.test(id)) {
    throw new RangeError(`invalid ${category} stream id`);
  }
  return `${category}-${id}`;
}

export const standardStream = (code: string): string => streamName('standard', code);
export const providerStream = (providerId: string): string => streamName('provider', providerId);
export const evaluatorStream = (evaluatorId: string): string => streamName('evaluator', evaluatorId);
export const certificationStream = (processId: string): string => streamName('certification', processId);
export const programStream = (programId: string): string => streamName('program', programId);

/** Refuses a CURP: the person stream is keyed by the opaque subjectId, so a CURP here is a leak. */
export function personStream(subjectId: string): string {
  if (Curp.isValid(subjectId)) throw new RangeError('person streams are keyed by subjectId, never by CURP');
  return streamName('person', subjectId);
}

/** Keyed by the canonical display form, so any typed variant of a folio names the same stream. */
export function folioStream(folio: string | Folio): string {
  const canonical = typeof folio === 'string' ? Folio.parse(folio) : folio;
  return streamName('folio', canonical.value);
}

export interface ParsedStreamName {
  category: StreamCategory;
  id: string;
}

/** `certification-p-1` → { category: 'certification', id: 'p-1' }; null for foreign names. */
export function parseStreamName(name: string): ParsedStreamName | null {
  const dash = name.indexOf('-');
  if (dash <= 0 || dash === name.length - 1) return null;
  const category = name.slice(0, dash);
  if (!(STREAM_CATEGORIES as readonly string[]).includes(category)) return null;
  return { category: category as StreamCategory, id: name.slice(dash + 1) };
}

/** The category of a stream name, or null when it is not one of the ledger's. */
export function streamCategory(name: string): StreamCategory | null {
  return parseStreamName(name)?.category ?? null;
}
