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
export { buildCurp, type CurpParts } from './shared/curp-builder';
export * from './shared/curp';
export * from './shared/folio';
export * from './shared/printed-folio';
export * from './shared/standard-code';
export * from './shared/evidence-digest';
export * from './shared/text';
export * from './streams';

// Events, one union per stream
export * from './standard/standard.events';
export * from './provider/provider.events';
export * from './evaluator/evaluator.events';
export * from './person/person.events';
export * from './certification/certification.events';
export * from './folio/folio.events';
export * from './program/program.events';
export * from './ledger-event';

// Commands and states, one set per aggregate
export * from './standard/standard.commands';
export * from './standard/standard.state';
export * from './provider/provider.commands';
export * from './provider/provider.state';
export * from './evaluator/evaluator.commands';
export * from './evaluator/evaluator.state';
export * from './person/person.commands';
export * from './person/person.state';
export * from './certification/certification.commands';
export * from './certification/certification.state';
export * from './folio/folio.commands';
export * from './folio/folio.state';
export * from './program/program.commands';
export * from './program/program.state';

// Deciders: `xDecider.decide(command, state)`, `xDecider.evolve(state, event)`, `xDecider.initialState`
export { standardDecider, MIN_VALIDITY_YEARS, MAX_VALIDITY_YEARS } from './standard/standard.decider';
export { providerDecider } from './provider/provider.decider';
export { evaluatorDecider } from './evaluator/evaluator.decider';
export { personDecider, MAX_ARCO_REASON_LENGTH, MAX_NAME_LENGTH, MAX_REQUEST_FOLIO_LENGTH } from './person/person.decider';
export { certificationDecider, MAX_AGENCY_LENGTH, MAX_TRAINING_HOURS, MIN_TRAINING_HOURS } from './certification/certification.decider';
export * from './certification/interrupted-enrollment';
export { folioDecider } from './folio/folio.decider';
export {
  programDecider,
  parseProgramId,
  PROGRAM_ID_PATTERN,
  parseProgramTarget,
  targetCount,
  MAX_PROGRAM_TARGET,
  MAX_PROGRAM_YEARS,
  MAX_PROGRAM_STANDARDS,
  MAX_PROGRAM_NAME_LENGTH,
} from './program/program.decider';
export { MAX_TEXT_LENGTH, MAX_STANDARDS_PER_ACCREDITATION } from './shared/guards';

// Cross-stream workflows (pure): enrollment writes the person and the certification streams
export * from './enrollment/enrollment.workflow';
