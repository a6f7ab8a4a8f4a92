import type { Command } from '../shared/command';

/**
 * A certifier reserves a folio for a process before issuing, appending to
 * `folio-{folio}` with expected revision no_stream. A folio taken by another
 * process is a conflict: the handler derives the next candidate (attempt + 1).
 */
export type AssignFolio = Command<'AssignFolio', { folio: string; processId: string; assignedAt?: string }>;

export type FolioCommand = AssignFolio;
