/**
 * A TCP relay between a client and an EventStoreDB node, real or test, whose
 * connections a test can cut: to the client that is a dropped network
 * connection, whatever the node behind it is. Only a single-node
 * `esdb://host:port` connection string can be relayed (not `esdb+discover`),
 * and with TLS only if the node's certificate also names 127.0.0.1.
 */
import { createServer, connect, type Server, type Socket } from 'node:net';

export interface TcpProxy {
  /** The given connection string, pointed at the proxy. */
  readonly connectionString: string;
  /** Destroys every relayed connection; new ones are accepted at once. */
  dropConnections(): void;
  close(): Promise<void>;
}

const SINGLE_NODE = /^(esdb:\/\/(?:[^@/?]+@)?)([^/?,:]+):(\d+)(.*)$/;

export async function startTcpProxy(connectionString: string): Promise<TcpProxy> {
  const match = SINGLE_NODE.exec(connectionString);
  if (!match) throw new Error(`Only a single-node esdb://host:port connection string can be proxied: ${connectionString}`);
  const [, prefix, upstreamHost, upstreamPort, rest] = match;
  const sockets = new Set<Socket>();
  const track = (socket: Socket): void => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
  };

  const server = createServer((downstream) => {
    const upstream = connect(Number(upstreamPort), upstreamHost);
    track(downstream);
    track(upstream);
    // Either side failing or closing takes the other down too, like a cut cable.
    const cut = (): void => {
      downstream.destroy();
      upstream.destroy();
    };
    for (const socket of [downstream, upstream]) socket.once('error', cut).once('close', cut);
    downstream.pipe(upstream).pipe(downstream);
  });
  const port = await listen(server);

  return {
    connectionString: `${prefix}127.0.0.1:${port}${rest}`,
    dropConnections: () => sockets.forEach((socket) => socket.destroy()),
    close: () => {
      sockets.forEach((socket) => socket.destroy());
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}

function listen(server: Server): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      resolve(typeof address === 'object' && address ? address.port : 0);
    });
  });
}
