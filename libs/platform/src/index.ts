export * from './embedded-postgres';
export * from './ledger-config';
export * from './ledger-secrets';
export * from './ledger-keys';
export * from './ledger-database';
export * from './seeded-random';
export * from './storage-outage';
export * from './postgres-pool';
