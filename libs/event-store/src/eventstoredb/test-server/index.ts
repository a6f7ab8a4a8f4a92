export { startEventStoreDbTestServer } from './server';
export type { EventStoreDbTestServer, EventStoreDbTestServerOptions } from './server';
