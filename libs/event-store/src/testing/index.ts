export * from './event-store.contract';
export * from './postgres-test-store';
export * from './subscription-reader';
export * from './test-events';
export * from '../eventstoredb/test-server';
