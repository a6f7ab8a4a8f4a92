import { connect } from 'node:net';

/**
 * A request exactly as it goes on the wire: the target as typed (already
 * percent-encoded, or not), headers in order and possibly repeated, and a
 * body of any bytes. Node's HTTP client would refuse or repair much of what
 * an attacker sends (control characters in headers, spaces in the target),
 * so the fuzzer writes the bytes itself.
 */
export interface RawRequest {
  readonly method: string;
  readonly target: string;
  readonly headers: readonly (readonly [string, string])[];
  readonly body?: Buffer;
  /** Send a large body only once the server asks for it (the default past EXPECT_CONTINUE_ABOVE); false sends it with the head. */
  readonly expectContinue?: boolean;
}

export interface RawAnswer {
  readonly status: number;
  /** Lower-case names; repeated headers joined with ", ". */
  readonly headers: Readonly<Record<string, string>>;
  readonly body: Buffer;
}

export class NoAnswerError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'NoAnswerError';
  }
}

/**
 * Bodies past this are sent the way curl sends them, after `Expect:
 * 100-continue` and only once the server asks for them: a server that
 * refuses the request from its head (415, 413) answers and closes at once,
 * and a body still arriving then would reset the connection, and the answer
 * with it, before the client read it (RFC 9110 §10.1.1).
 */
export const EXPECT_CONTINUE_ABOVE = 64 * 1024;

function expectsContinue(request: RawRequest): boolean {
  return request.body !== undefined && (request.expectContinue ?? request.body.length > EXPECT_CONTINUE_ABOVE);
}

function headOf(request: RawRequest, host: string): Buffer {
  const lines = [`${request.method} ${request.target} HTTP/1.1`, `Host: ${host}`, ...request.headers.map(([name, value]) => `${name}: ${value}`)];
  if (request.body !== undefined) lines.push(`Content-Length: ${request.body.length}`);
  if (expectsContinue(request)) lines.push('Expect: 100-continue');
  lines.push('Connection: close');
  return Buffer.from(`${lines.join('\r\n')}\r\n\r\n`, 'utf8');
}

/** The bytes of a request: HTTP/1.1, one request per connection, framed by Content-Length. */
export function requestBytes(request: RawRequest, host: string): Buffer {
  return Buffer.concat([headOf(request, host), request.body ?? Buffer.alloc(0)]);
}

function dechunk(bytes: Buffer): Buffer | undefined {
  const pieces: Buffer[] = [];
  let offset = 0;
  for (;;) {
    const lineEnd = bytes.indexOf('\r\n', offset);
    if (lineEnd < 0) return undefined;
    const size = Number.parseInt(bytes.subarray(offset, lineEnd).toString('latin1').split(';')[0].trim(), 16);
    if (!Number.isInteger(size) || size < 0) return undefined;
    if (size === 0) return Buffer.concat(pieces);
    const start = lineEnd + 2;
    if (start + size > bytes.length) return undefined;
    pieces.push(bytes.subarray(start, start + size));
    offset = start + size + 2;
  }
}

/**
 * Parses one complete HTTP/1.1 answer from everything the server sent before
 * it closed the connection; undefined when the bytes are not a whole answer
 * (cut short, or no answer at all).
 */
export function parseAnswer(bytes: Buffer): RawAnswer | undefined {
  // Interim answers (100 Continue) come before the answer.
  while (/^HTTP\/1\.[01] 1\d\d[ \r]/.test(bytes.subarray(0, 16).toString('latin1')) && bytes.indexOf('\r\n\r\n') >= 0) {
    bytes = bytes.subarray(bytes.indexOf('\r\n\r\n') + 4);
  }
  const headEnd = bytes.indexOf('\r\n\r\n');
  if (headEnd < 0) return undefined;
  const [statusLine, ...headerLines] = bytes.subarray(0, headEnd).toString('latin1').split('\r\n');
  const status = /^HTTP\/1\.[01] (\d{3})(?: |$)/.exec(statusLine);
  if (!status) return undefined;
  const headers: Record<string, string> = {};
  for (const line of headerLines) {
    const colon = line.indexOf(':');
    if (colon <= 0) return undefined;
    const name = line.slice(0, colon).trim().toLowerCase();
    const value = Buffer.from(line.slice(colon + 1).trim(), 'latin1').toString('utf8');
    headers[name] = name in headers ? `${headers[name]}, ${value}` : value;
  }
  const rest = bytes.subarray(headEnd + 4);
  let body: Buffer | undefined = rest;
  if (/chunked/i.test(headers['transfer-encoding'] ?? '')) body = dechunk(rest);
  else if (headers['content-length'] !== undefined) {
    const length = Number(headers['content-length']);
    body = Number.isInteger(length) && length <= rest.length ? rest.subarray(0, length) : undefined;
  }
  return body === undefined ? undefined : { status: Number(status[1]), headers, body };
}

/**
 * Sends the request on a fresh connection and reads until the server closes
 * it. Rejects with NoAnswerError when no whole answer arrives within
 * `timeoutMs` or the connection ends without one. A server that answers
 * early (413, 431) and closes before reading the whole body is fine: what
 * it sent is read all the same.
 */
export function exchange(port: number, request: RawRequest, timeoutMs: number): Promise<RawAnswer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    const socket = connect({ host: '127.0.0.1', port });
    let settled = false;
    const settle = (outcome: () => void) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      socket.destroy();
      outcome();
    };
    const finish = (why: string) => {
      const answer = parseAnswer(Buffer.concat(chunks));
      settle(() => (answer ? resolve(answer) : reject(new NoAnswerError(`${why} without a whole answer (${Buffer.concat(chunks).length} bytes read)`))));
    };
    const timer = setTimeout(() => settle(() => reject(new NoAnswerError(`no answer within ${timeoutMs} ms`))), timeoutMs);
    const host = `127.0.0.1:${port}`;
    const waitsForContinue = expectsContinue(request);
    let bodySent = !waitsForContinue;
    // As curl does: the body goes after 100 Continue, or after a second without any answer; never after a final answer.
    const sendBody = () => {
      if (bodySent || settled) return;
      bodySent = true;
      socket.write(request.body as Buffer);
    };
    let continueTimer: NodeJS.Timeout | undefined;
    // No half-close after writing: Node's server aborts a request whose client has ended its side.
    socket.on('connect', () => {
      socket.write(waitsForContinue ? headOf(request, host) : requestBytes(request, host));
      if (waitsForContinue) continueTimer = setTimeout(sendBody, 1_000);
    });
    socket.on('data', (chunk: Buffer) => {
      chunks.push(chunk);
      if (bodySent) return;
      clearTimeout(continueTimer);
      const received = Buffer.concat(chunks).toString('latin1');
      if (/^HTTP\/1\.[01] 100[ \r]/.test(received)) sendBody();
      else bodySent = true;
    });
    socket.on('close', () => clearTimeout(continueTimer));
    socket.on('end', () => finish('connection closed'));
    socket.on('error', (error: NodeJS.ErrnoException) => finish(`connection error ${error.code ?? error.message}`));
  });
}
