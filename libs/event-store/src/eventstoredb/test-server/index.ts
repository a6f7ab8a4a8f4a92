export { startEventStoreDbTestServer } from './server';
export type { EventStoreDbTestServer, EventStoreDbTestServerOptions } from './server';
export { startTcpProxy } from './tcp-proxy';
export type { TcpProxy } from './tcp-proxy';
