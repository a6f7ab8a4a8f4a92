export * from './merkle-vectors';
