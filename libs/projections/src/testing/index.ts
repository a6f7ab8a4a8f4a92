export * from './certificate-proof.fixtures';
export * from './seed';
export * from './synthetic-ledger';
export * from './recorded';
