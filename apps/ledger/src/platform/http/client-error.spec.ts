import { EventEmitter } from 'node:events';
import type { Server } from 'node:http';
import { answerClientErrors, LINGER_MS, rawProblemAnswer } from './client-error';

function parse(raw: string): { statusLine: string; headers: Record<string, string>; body: Record<string, unknown> } {
  const [head, body] = raw.split('\r\n\r\n');
  const [statusLine, ...lines] = head.split('\r\n');
  const headers = Object.fromEntries(lines.map((line) => [line.slice(0, line.indexOf(':')).toLowerCase(), line.slice(line.indexOf(':') + 2)]));
  return { statusLine, headers, body: JSON.parse(body) };
}

describe('rawProblemAnswer', () => {
  it('answers headers past Node’s limit with a 431 problem that carries the edge’s headers and closes the connection', () => {
    const answer = parse(rawProblemAnswer(Object.assign(new Error('Header overflow'), { code: 'HPE_HEADER_OVERFLOW' })));
    expect(answer.statusLine).toBe('HTTP/1.1 431 Request Header Fields Too Large');
    expect(answer.headers).toMatchObject({
      'content-type': 'application/problem+json',
      'x-content-type-options': 'nosniff',
      'x-frame-options': 'DENY',
      'cache-control': 'no-store',
      connection: 'close',
    });
    expect(answer.headers['content-security-policy']).toContain("frame-ancestors 'none'");
    expect(answer.body).toMatchObject({ status: 431, code: 'REQUEST_HEADERS_TOO_LARGE', correlationId: answer.headers['x-correlation-id'] });
  });

  it('answers other parse failures with 400, and a request that never finished with 408', () => {
    expect(parse(rawProblemAnswer(Object.assign(new Error('Invalid header value char'), { code: 'HPE_INVALID_HEADER_TOKEN' }))).body).toMatchObject({ status: 400, code: 'MALFORMED_REQUEST' });
    expect(parse(rawProblemAnswer(Object.assign(new Error('timeout'), { code: 'ERR_HTTP_REQUEST_TIMEOUT' }))).body).toMatchObject({ status: 408, code: 'REQUEST_TIMEOUT' });
  });

  it('gives a byte length that matches the body', () => {
    const raw = rawProblemAnswer(new Error('x'));
    const { headers } = parse(raw);
    expect(Number(headers['content-length'])).toBe(Buffer.byteLength(raw.split('\r\n\r\n')[1]));
  });
});

describe('answerClientErrors', () => {
  afterEach(() => jest.useRealTimers());

  it('answers once, then goes on taking what the client sends (which fails to parse again) until it closes or LINGER_MS pass', () => {
    jest.useFakeTimers();
    const server = new EventEmitter();
    answerClientErrors(server as unknown as Server);
    const socket: { writable: boolean; end: jest.Mock; destroy: jest.Mock } = { writable: true, end: jest.fn(), destroy: jest.fn() };
    socket.end.mockImplementation(() => (socket.writable = false));
    const error = Object.assign(new Error('Invalid header value char'), { code: 'HPE_INVALID_HEADER_TOKEN' });
    server.emit('clientError', error, socket);
    // The rest of a large body: destroying the socket with it unread would reset the answer away.
    server.emit('clientError', error, socket);
    expect(socket.end).toHaveBeenCalledTimes(1);
    expect(socket.destroy).not.toHaveBeenCalled();
    jest.advanceTimersByTime(LINGER_MS);
    expect(socket.destroy).toHaveBeenCalledTimes(1);
  });

  it('destroys a connection it cannot answer on', () => {
    const server = new EventEmitter();
    answerClientErrors(server as unknown as Server);
    const socket = { writable: false, end: jest.fn(), destroy: jest.fn() };
    server.emit('clientError', Object.assign(new Error('reset'), { code: 'ECONNRESET' }), socket);
    expect(socket.end).not.toHaveBeenCalled();
    expect(socket.destroy).toHaveBeenCalledTimes(1);
  });
});
