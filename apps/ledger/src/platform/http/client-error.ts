import { randomUUID } from 'node:crypto';
import type { Server } from 'node:http';
import type { Duplex } from 'node:stream';
import { titleOf } from '../errors/error-mapping';
import { Problem, PROBLEM_CONTENT_TYPE, problemTypeOf } from '../errors/problem';
import { securityHeadersForRawAnswers } from './security-headers';

interface ParseError extends Error {
  code?: string;
}

/** What Node's HTTP parser reports, and how the ledger answers it. */
function answerOf(error: ParseError): { status: number; code: string; detail: string } {
  switch (error.code) {
    case 'HPE_HEADER_OVERFLOW':
      return { status: 431, code: 'REQUEST_HEADERS_TOO_LARGE', detail: 'The request line and headers together must stay under 16 KB' };
    case 'ERR_HTTP_REQUEST_TIMEOUT':
      return { status: 408, code: 'REQUEST_TIMEOUT', detail: 'The request did not arrive in time' };
    default:
      return { status: 400, code: 'MALFORMED_REQUEST', detail: 'The request is not valid HTTP' };
  }
}

/**
 * The bytes of a problem+json answer to a request Node could not parse. No
 * request exists yet (no path, no correlation header was read), so the
 * occurrence is named by a fresh correlation id, and the connection closes:
 * what follows on it cannot be trusted to be framed correctly.
 */
export function rawProblemAnswer(error: ParseError, headers: Readonly<Record<string, string>> = securityHeadersForRawAnswers()): string {
  const { status, code, detail } = answerOf(error);
  const correlationId = randomUUID();
  const problem: Problem = { type: problemTypeOf(code), title: titleOf(status), status, detail, code, instance: `urn:uuid:${correlationId}`, correlationId };
  const body = JSON.stringify(problem);
  const lines = [
    `HTTP/1.1 ${status} ${titleOf(status)}`,
    `Content-Type: ${PROBLEM_CONTENT_TYPE}`,
    `Content-Length: ${Buffer.byteLength(body)}`,
    `X-Correlation-Id: ${correlationId}`,
    ...Object.entries(headers).map(([name, value]) => `${name}: ${value}`),
    'Connection: close',
  ];
  return `${lines.join('\r\n')}\r\n\r\n${body}`;
}

/** How long a connection answered here goes on taking what the client sends, so that closing it does not reset the answer away. */
export const LINGER_MS = 2_000;

/**
 * Replaces Node's bare answers to unparseable requests (431 for headers past
 * --max-http-header-size, 400 for broken framing, 408 for a request that
 * never finished) with problem+json. It writes only when the socket can
 * still take an answer and no response on it is under way, then closes the
 * connection; it never throws, since nothing would catch it.
 */
export function answerClientErrors(server: Server): void {
  const headers = securityHeadersForRawAnswers();
  const answered = new WeakSet<Duplex>();
  server.on('clientError', (error: ParseError, socket: Duplex) => {
    try {
      // What the client still sends after our answer (the rest of a body) fails to parse again. Destroying the
      // socket then, with that data unread, resets the connection, and a client that has not read our answer yet
      // loses it: the connection stays open, reading and dropping, until the client closes it or LINGER_MS pass.
      if (answered.has(socket)) return;
      // A response still owed on this connection (keep-alive, pipelining) would interleave with ours.
      const answering = Boolean((socket as Duplex & { _httpMessage?: unknown })._httpMessage);
      if (error.code === 'ECONNRESET' || !socket.writable || answering) {
        socket.destroy();
        return;
      }
      answered.add(socket);
      socket.end(rawProblemAnswer(error, headers));
      setTimeout(() => socket.destroy(), LINGER_MS).unref();
    } catch {
      socket.destroy();
    }
  });
}
