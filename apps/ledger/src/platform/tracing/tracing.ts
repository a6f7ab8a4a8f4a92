/**
 * OpenTelemetry traces, when an OTLP endpoint is configured (the standard
 * OTEL_EXPORTER_OTLP_ENDPOINT, or OTEL_EXPORTER_OTLP_TRACES_ENDPOINT): every
 * HTTP request a server span named by its route template (the one the
 * metrics label it with: Nest's route, or the fast lane's), every PostgreSQL
 * query a child span, exported over OTLP/HTTP (JSON) in batches. Started
 * before anything loads `http` or `pg` (main.ts imports this first), since
 * instrumentation patches those modules as they load; with no endpoint
 * nothing is loaded. (Express's own instrumentation would not see Express:
 * NestJS 12 loads it from ES modules, which require hooks do not reach.)
 *
 * What spans carry: methods, route templates, status codes, SQL text with its
 * placeholders (never the values bound to them), no request or response
 * bodies: the ledger's URLs hold no personal data, and its queries bind it.
 * The OpenTelemetry packages are held to the lines that support Node 20
 * (0.223 and 2.12; the next lines need Node 22.15).
 */
import type { IncomingMessage } from 'node:http';
import type { NodeTracerProvider } from '@opentelemetry/sdk-trace-node';
import { routeOf } from '../metrics/route-label';

export const DEFAULT_SERVICE_NAME = 'certification-ledger';

export function tracingEndpointOf(env: NodeJS.ProcessEnv): string | undefined {
  const value = (env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT ?? env.OTEL_EXPORTER_OTLP_ENDPOINT ?? '').trim();
  return value === '' || env.OTEL_SDK_DISABLED === 'true' ? undefined : value;
}

/** Starts tracing if configured; returns the provider, to flush and shut down with the process, or undefined. */
export function startTracing(env: NodeJS.ProcessEnv = process.env): NodeTracerProvider | undefined {
  if (tracingEndpointOf(env) === undefined) return undefined;
  /* eslint-disable @typescript-eslint/no-require-imports */
  const { NodeTracerProvider: Provider, BatchSpanProcessor } = require('@opentelemetry/sdk-trace-node') as typeof import('@opentelemetry/sdk-trace-node');
  const { OTLPTraceExporter } = require('@opentelemetry/exporter-trace-otlp-http') as typeof import('@opentelemetry/exporter-trace-otlp-http');
  const { resourceFromAttributes } = require('@opentelemetry/resources') as typeof import('@opentelemetry/resources');
  const { ATTR_SERVICE_NAME } = require('@opentelemetry/semantic-conventions') as typeof import('@opentelemetry/semantic-conventions');
  const { registerInstrumentations } = require('@opentelemetry/instrumentation') as typeof import('@opentelemetry/instrumentation');
  const { HttpInstrumentation } = require('@opentelemetry/instrumentation-http') as typeof import('@opentelemetry/instrumentation-http');
  const { PgInstrumentation } = require('@opentelemetry/instrumentation-pg') as typeof import('@opentelemetry/instrumentation-pg');
  /* eslint-enable @typescript-eslint/no-require-imports */
  // The exporter reads the endpoint, headers and timeouts from the standard OTEL_EXPORTER_OTLP_* variables itself.
  const provider = new Provider({
    resource: resourceFromAttributes({ [ATTR_SERVICE_NAME]: env.OTEL_SERVICE_NAME?.trim() || DEFAULT_SERVICE_NAME }),
    spanProcessors: [new BatchSpanProcessor(new OTLPTraceExporter())],
  });
  provider.register();
  registerInstrumentations({
    tracerProvider: provider,
    instrumentations: [
      // Outgoing calls to the identity provider are traced; the health checks of load balancers are not worth a trace each.
      new HttpInstrumentation({
        ignoreIncomingRequestHook: (request) => request.url === '/health' || request.url === '/metrics',
        // Called as the answer ends, once the route that took the request is known.
        applyCustomAttributesOnSpan: (span, request, response) => {
          if (!('setHeader' in response)) return; // an outgoing call (its response is an IncomingMessage): the client's span
          const route = routeOf(request as IncomingMessage);
          span.setAttribute('http.route', route);
          span.updateName(`${request.method ?? 'HTTP'} ${route}`);
        },
      }),
      new PgInstrumentation({ enhancedDatabaseReporting: false }),
    ],
  });
  return provider;
}
