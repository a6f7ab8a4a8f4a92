/**
 * The domain's public API. Other libraries and apps import from here only
 * (`@ledger/domain`), never from a file inside. Test helpers live in
 * `./testing` and are deliberately not re-exported here.
 */

// Shared kernel
export * from './shared/actor';
export * from './shared/command';
export * from './shared/decider';
export * from './shared/domain-error';
export * from './shared/iso-date';
export * from './shared/states';
export * from './shared/curp';
export * from './shared/folio';
export * from './shared/standard-code';
export * from './shared/evidence-digest';
export * from './streams';

// Events, one union per stream
export * from './standard/standard.events';
export * from './provider/provider.events';
export * from './evaluator/evaluator.events';
export * from './person/person.events';
export * from './certification/certification.events';
export * from './folio/folio.events';
