export * from './in-memory-key-store';
