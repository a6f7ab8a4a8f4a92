/** One Jest run covers unit specs next to the code and end-to-end suites in test/. */
module.exports = {
  rootDir: '.',
  moduleFileExtensions: ['js', 'json', 'ts'],
  testRegex: '.*\\.(spec|e2e-spec)\\.ts$',
  testPathIgnorePatterns: ['/node_modules/', '/dist/'],
  transform: { '^.+\\.ts$': ["ts-jest", { diagnostics: false }] },
  testEnvironment: 'node',
  globalSetup: '<rootDir>/test/support/global-setup.ts',
  globalTeardown: '<rootDir>/test/support/global-teardown.ts',
  moduleNameMapper: {
    // Handler and service specs construct the ledger's classes without Nest (ES modules Jest cannot load): its decorators
    // become no-ops (apps/ledger/src/testing/nest-decorators.stub.ts). The end-to-end suites run the real framework.
    '^@nestjs/(common|cqrs|swagger|core)$': '<rootDir>/apps/ledger/src/testing/nest-decorators.stub.ts',
    '^@ledger/domain$': '<rootDir>/libs/domain/src',
    '^@ledger/domain/testing$': '<rootDir>/libs/domain/src/testing',
    '^@ledger/event-store$': '<rootDir>/libs/event-store/src',
    '^@ledger/event-store/testing$': '<rootDir>/libs/event-store/src/testing',
    '^@ledger/projections$': '<rootDir>/libs/projections/src',
    '^@ledger/projections/testing$': '<rootDir>/libs/projections/src/testing',
    '^@ledger/read-models$': '<rootDir>/libs/read-models/src',
    '^@ledger/platform$': '<rootDir>/libs/platform/src',
    '^@ledger/platform/testing$': '<rootDir>/libs/platform/src/testing',
    '^@ledger/verifiable-log$': '<rootDir>/libs/verifiable-log/src',
    '^@ledger/verifiable-log/testing$': '<rootDir>/libs/verifiable-log/src/testing',
    '^@ledger/personal-data$': '<rootDir>/libs/personal-data/src',
    '^@ledger/ledger-schema$': '<rootDir>/libs/ledger-schema/src',
    '^@ledger/personal-data/testing$': '<rootDir>/libs/personal-data/src/testing',
  },
  testTimeout: 60000,
  // A worker that has grown past this after a test file is replaced by a fresh one: across 100+ suites a long-lived
  // worker accumulated module graphs and buffers until it ran out of heap.
  workerIdleMemoryLimit: '1GB',
};
