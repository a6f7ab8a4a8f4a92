/** Test helpers for every team: import from specs and seeders, never from production code. */
export * from './curp-fixtures';
export * from './given-when-then';
export * from './ledger-fixtures';
