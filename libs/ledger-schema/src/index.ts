export * from './ledger-migrations';
