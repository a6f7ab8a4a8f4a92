// The shared test database helpers live with the platform's testing entry point (@ledger/platform/testing).
export { createTestDatabase } from '../../libs/platform/src/testing';
