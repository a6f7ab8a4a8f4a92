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
    process.stdout.write(scrubCurps(line));
  },
};

export function loggingOptions(level: LogLevel): Params {
  return {
    pinoHttp: [
      {
        level,
        redact: { paths: REDACTED_PATHS, censor: '[REDACTED]' },
        genReqId: (request: IncomingMessage, response: ServerResponse) => assignCorrelationId(request, response),
        customProps: (request: IncomingMessage) => ({ correlationId: (request as IncomingMessage & { id?: unknown }).id }),
        // Only what an operator needs; query strings are dropped because they may carry filters on people.
        serializers: {
          req: (request: { method: string; url: string; id: unknown }) => ({ method: request.method, path: request.url.split('?')[0], id: request.id }),
          res: (response: { statusCode: number }) => ({ statusCode: response.statusCode }),
        },
        autoLogging: { ignore: (request: IncomingMessage) => request.url === '/health' },
      },
      scrubbedStdout,
    ],
  };
}
