import { createServer, type Server, type Socket } from 'node:net';
import { exchange, NoAnswerError, parseAnswer, requestBytes } from './raw-http';

function listen(onConnection: (socket: Socket) => void): Promise<{ server: Server; port: number }> {
  return new Promise((resolve) => {
    const server = createServer(onConnection);
    server.listen(0, '127.0.0.1', () => resolve({ server, port: (server.address() as { port: number }).port }));
  });
}

describe('the raw HTTP client', () => {
  it('writes the request exactly as planned, framed by Content-Length, one per connection', () => {
    const bytes = requestBytes({ method: 'POST', target: '/v1/x?%zz', headers: [['X-A', '1'], ['X-A', '2']], body: Buffer.from('{}') }, 'h:1');
    expect(bytes.toString()).toBe('POST /v1/x?%zz HTTP/1.1\r\nHost: h:1\r\nX-A: 1\r\nX-A: 2\r\nContent-Length: 2\r\nConnection: close\r\n\r\n{}');
    expect(requestBytes({ method: 'GET', target: '/', headers: [] }, 'h').toString()).not.toContain('Content-Length');
  });

  it('parses answers framed by Content-Length, chunked or by the end of the connection, joining repeated headers', () => {
    const fixed = parseAnswer(Buffer.from('HTTP/1.1 400 Bad Request\r\nContent-Type: application/problem+json\r\nVary: a\r\nVary: b\r\nContent-Length: 2\r\n\r\n{}'));
    expect(fixed).toEqual({ status: 400, headers: { 'content-type': 'application/problem+json', vary: 'a, b', 'content-length': '2' }, body: Buffer.from('{}') });
    const chunked = parseAnswer(Buffer.from('HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n2;x=y\r\nde\r\n0\r\n\r\n'));
    expect(chunked?.body.toString()).toBe('abcde');
    expect(parseAnswer(Buffer.from('HTTP/1.1 204 No Content\r\n\r\n'))?.status).toBe(204);
  });

  it('finds no answer in bytes cut short or that are not HTTP', () => {
    expect(parseAnswer(Buffer.from('HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nabc'))).toBeUndefined();
    expect(parseAnswer(Buffer.from('HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nab'))).toBeUndefined();
    expect(parseAnswer(Buffer.from('HTTP/1.1 200 OK\r\nContent-'))).toBeUndefined();
    expect(parseAnswer(Buffer.from('SSH-2.0-OpenSSH\r\n\r\n'))).toBeUndefined();
  });

  it('sends a large body after 100 Continue, and not at all after an answer to the head alone', async () => {
    let received = 0;
    const continuing = await listen((socket) => {
      socket.once('data', () => socket.write('HTTP/1.1 100 Continue\r\n\r\n'));
      socket.on('data', (chunk: Buffer) => {
        received += chunk.length;
        if (received > 100_000) socket.end('HTTP/1.1 201 Created\r\nContent-Length: 2\r\n\r\nok');
      });
    });
    let refusedBytes = 0;
    const refusing = await listen((socket) => {
      socket.on('data', (chunk: Buffer) => (refusedBytes += chunk.length));
      socket.once('data', () => setTimeout(() => socket.end('HTTP/1.1 415 Unsupported Media Type\r\nContent-Length: 0\r\n\r\n'), 50));
    });
    try {
      const body = Buffer.alloc(100_000, 97);
      const created = await exchange(continuing.port, { method: 'POST', target: '/', headers: [], body }, 5_000);
      expect({ status: created.status, body: created.body.toString() }).toEqual({ status: 201, body: 'ok' });
      expect((await exchange(refusing.port, { method: 'POST', target: '/', headers: [], body }, 5_000)).status).toBe(415);
      expect(refusedBytes).toBeLessThan(1_000);
    } finally {
      for (const { server } of [continuing, refusing]) server.close();
    }
  });

  it('reads an answer sent before the request was read, and reports silence and a closed connection as no answer', async () => {
    const early = await listen((socket) => socket.end('HTTP/1.1 413 Payload Too Large\r\nContent-Length: 0\r\n\r\n'));
    const silent = await listen(() => undefined);
    const closing = await listen((socket) => socket.end());
    try {
      expect((await exchange(early.port, { method: 'POST', target: '/', headers: [], body: Buffer.alloc(100_000), expectContinue: false }, 2_000)).status).toBe(413);
      await expect(exchange(silent.port, { method: 'GET', target: '/', headers: [] }, 100)).rejects.toThrow(new NoAnswerError('no answer within 100 ms'));
      await expect(exchange(closing.port, { method: 'GET', target: '/', headers: [] }, 2_000)).rejects.toThrow(NoAnswerError);
    } finally {
      for (const { server } of [early, silent, closing]) server.close();
    }
  });
});
