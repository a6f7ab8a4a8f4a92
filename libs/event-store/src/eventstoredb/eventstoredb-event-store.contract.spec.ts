/**
 * The shared EventStore contract, run against EventStoreDbEventStore: on the
 * node named by EVENTSTORE_CONNECTION_STRING when it is set (e.g.
 * `esdb://localhost:2113?tls=false` from docker-compose), else on the
 * EventStoreDB test server. Then the case only this adapter has: resubscription
 * after the connection drops, cut through a TCP relay so that it works in front
 * of a real node too.
 */
import type { EventStore, NewEvent, RecordedEvent } from '../event-store.port';
import { describeEventStoreContract, type EventStoreUnderTest } from '../testing/event-store.contract';
import { SubscriptionReader } from '../testing/subscription-reader';
import { testEvent, uniqueName } from '../testing/test-events';
import { EventStoreDbEventStore } from './eventstoredb-event-store';
import { startEventStoreDbTestServer, startTcpProxy, type TcpProxy } from './test-server';

const EXTERNAL = process.env.EVENTSTORE_CONNECTION_STRING;
const FAST_RECONNECT = { initialDelayMs: 20, maxDelayMs: 500 };

interface Node {
  connectionString: string;
  stop(): Promise<void>;
}

async function startNode(): Promise<Node> {
  if (EXTERNAL) return { connectionString: EXTERNAL, stop: async () => undefined };
  const server = await startEventStoreDbTestServer();
  return { connectionString: server.connectionString, stop: () => server.stop() };
}

async function eventStoreDbUnderTest(): Promise<EventStoreUnderTest> {
  const node = await startNode();
  const store = new EventStoreDbEventStore(node.connectionString, { reconnect: FAST_RECONNECT });
  return {
    store,
    teardown: async () => {
      await store.close();
      await node.stop();
    },
  };
}

describeEventStoreContract(
  EXTERNAL ? `EventStoreDB at ${EXTERNAL}` : 'EventStoreDB test server',
  eventStoreDbUnderTest,
  // EventStoreDB has no index by event id; see EventStoreCapabilities.
  { rejectsIdsStoredInOtherStreams: false },
);

describe('EventStore contract, EventStoreDB only: resubscription after a drop', () => {
  let node: Node;
  let proxy: TcpProxy;
  let subscriber: EventStore;
  let writer: EventStore;

  beforeAll(async () => {
    node = await startNode();
    proxy = await startTcpProxy(node.connectionString);
    // The subscriber goes through the relay that gets cut; the writer does not.
    subscriber = new EventStoreDbEventStore(proxy.connectionString, { reconnect: FAST_RECONNECT });
    writer = new EventStoreDbEventStore(node.connectionString);
  });

  afterAll(async () => {
    await subscriber?.close();
    await writer?.close();
    await proxy?.close();
    await node?.stop();
  });

  it('delivers every event once and in order across drops during catch-up and while live', async () => {
    const type = uniqueName('Dropped');
    const streamId = uniqueName('drop');
    const from = await writer.headPosition();
    const written = await append(writer, streamId, type, 30);
    const subscription = subscriber.subscribeToAll({ fromPosition: from, eventTypes: [type] });
    const reader = new SubscriptionReader(subscription);
    try {
      const delivered = await reader.take(10);
      proxy.dropConnections(); // mid catch-up: 20 stored events not delivered yet
      written.push(...(await append(writer, streamId, type, 20)));
      delivered.push(...(await reader.take(40)));
      await subscription.caughtUp();

      proxy.dropConnections(); // while live and idle; the appends below race the subscription's reconnection
      written.push(...(await append(writer, streamId, type, 10)));
      delivered.push(...(await reader.take(10)));

      expect(delivered.map((event) => event.id)).toEqual(written.map((event) => event.id));
      expect(delivered.map((event) => event.revision)).toEqual(written.map((_, index) => BigInt(index)));
      expectIncreasingPositions(delivered);
    } finally {
      await subscription.close();
    }
  });
});

async function append(store: EventStore, streamId: string, type: string, count: number): Promise<NewEvent[]> {
  const events = Array.from({ length: count }, (_, index) => testEvent(type, { index }));
  await store.appendToStream(streamId, events);
  return events;
}

function expectIncreasingPositions(read: readonly RecordedEvent[]): void {
  read.slice(1).forEach((event, index) => expect(event.position).toBeGreaterThan(read[index].position));
}

