import type { CertificationEvent } from './certification/certification.events';
import type { EvaluatorEvent } from './evaluator/evaluator.events';
import type { FolioEvent } from './folio/folio.events';
import type { PersonEvent } from './person/person.events';
import type { ProgramEvent } from './program/program.events';
import type { ProviderEvent } from './provider/provider.events';
import type { StandardEvent } from './standard/standard.events';

/** Every event the ledger records, across all its streams: the one union writers and readers share. */
export type LedgerEvent = StandardEvent | ProviderEvent | EvaluatorEvent | PersonEvent | CertificationEvent | FolioEvent | ProgramEvent;
export type LedgerEventType = LedgerEvent['type'];
