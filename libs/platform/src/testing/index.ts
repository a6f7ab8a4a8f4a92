export * from './test-database';
export * from './test-pool';
// The test run's own PostgreSQL server (test/support/global-setup.ts), without the rest of the platform's entry point.
export { startEmbeddedPostgres, type EmbeddedPostgres } from '../embedded-postgres';
export * from './eventually';
