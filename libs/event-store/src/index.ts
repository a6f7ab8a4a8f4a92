export * from './event-store.port';
export { PostgresEventStore, type PostgresEventStoreOptions } from './postgres/postgres-event-store';
