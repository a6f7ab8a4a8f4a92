export * from './certificate-proof.fixtures';
