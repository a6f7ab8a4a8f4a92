/**
 * Personal data at rest: AES-256-GCM per subject (the cipher), the key store
 * port and its PostgreSQL adapter, and the vault, the one point where
 * personal data is sealed and opened.
 */
export * from './personal-data-cipher';
export * from './personal-data-key-store.port';
export * from './personal-fields';
export * from './personal-data-vault';
export * from './postgres-key-store';
export * from './open-vault';
