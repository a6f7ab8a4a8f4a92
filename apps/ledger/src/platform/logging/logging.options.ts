import type { Params } from 'nestjs-pino';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { LogLevel } from '@ledger/platform';
import { assignCorrelationId } from './correlation-id';
import { scrubCurps } from './curp-scrubber';

/**
 * Paths pino removes from every log line. Bodies are never serialised by
 * pino-http in the first place; these cover request headers with credentials
 * and any object that happens to carry personal data under a known name.
 */
export const REDACTED_PATHS = [
  'req.headers.authorization',
  'req.headers.cookie',
  'req.headers["idempotency-key"]',
  'req.body',
  'res.body',
  'body',
  '*.body',
  'curp',
  '*.curp',
  'fullName',
  '*.fullName',
  'birthDate',
  '*.birthDate',
];

/**
 * Every line goes through the CURP scrubber before it reaches stdout, so a
 * CURP slipped into an error message or a URL is masked even where redaction
 * by path cannot see it.
 */
const scrubbedStdout = {
  write(line: string): void {
    logStream.write(scrubCurps(line));
  },
};

let logStream: NodeJS.WritableStream = process.stdout;

/**
 * Logs to stderr instead of stdout, for an operator command that runs the
 * ledger in its own process and prints its result on stdout (`ledger
 * import`, `ledger seed`): the result stays parseable, the logs still show.
 */
export function sendLogsToStderr(): void {
  logStream = process.stderr;
}

/**
 * The route template the request matched (`/v1/people/:subjectId/timeline`),
 * never the path itself: a path holds what the caller typed, a CURP
 * percent-encoded past the scrubber included. Unmatched requests log Nest's
 * catch-all template (`{/*splat}`) or, refused before routing or served as
 * static files, no route at all.
 */
export function routeTemplateOf(request: IncomingMessage): string | undefined {
  const path = (request as IncomingMessage & { route?: { path?: unknown } }).route?.path;
  return typeof path === 'string' ? path : undefined;
}

/** The request line pino binds when the request arrives, before routing: method and correlation id only. */
export function requestForLog(request: { method?: string; id?: unknown }): { method?: string; id?: unknown } {
  return { method: request.method, id: request.id };
}

export function loggingOptions(level: LogLevel): Params {
  return {
    pinoHttp: [
      {
        level,
        redact: { paths: REDACTED_PATHS, censor: '[REDACTED]' },
        genReqId: (request: IncomingMessage, response: ServerResponse) => assignCorrelationId(request, response),
        customProps: (request: IncomingMessage) => ({ correlationId: (request as IncomingMessage & { id?: unknown }).id }),
        // Only what an operator needs: no path, no query string (they may name people); the route is added once known.
        serializers: {
          req: requestForLog,
          res: (response: { statusCode: number }) => ({ statusCode: response.statusCode }),
        },
        customSuccessObject: (request: IncomingMessage, _response: ServerResponse, fields: object) => ({ ...fields, route: routeTemplateOf(request) }),
        customErrorObject: (request: IncomingMessage, _response: ServerResponse, _error: Error, fields: object) => ({ ...fields, route: routeTemplateOf(request) }),
        autoLogging: { ignore: (request: IncomingMessage) => request.url === '/health' },
      },
      scrubbedStdout,
    ],
  };
}
