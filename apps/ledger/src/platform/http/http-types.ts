import type { IncomingMessage, ServerResponse } from 'node:http';

/**
 * The parts of Express's request and response the ledger uses. Express ships
 * no type declarations of its own (and @types/express is not a dependency),
 * so these name exactly what is relied on.
 */
export interface HttpRequest extends IncomingMessage {
  originalUrl: string;
  body?: unknown;
  route?: { path?: string };
}

export interface HttpResponse extends ServerResponse {
  status(code: number): this;
  type(contentType: string): this;
  send(body: string): this;
}
