import type { IncomingMessage, ServerResponse } from 'node:http';

/**
 * What the metrics label a request with, set where it is known: the route
 * template (never the URL: a URL carries folios and ids, and would make a
 * series per certificate) and, for a refused command, the problem's code.
 */
const ROUTE = Symbol('ledger.metrics.route');
const PROBLEM = Symbol('ledger.metrics.problem');

type Labelled = { [ROUTE]?: string; [PROBLEM]?: string };

/** A route answered ahead of Express (the fast lane) says its template here. */
export function labelRoute(request: IncomingMessage, template: string): void {
  (request as Labelled)[ROUTE] = template;
}

/** The problem filter says the code a request was refused with. */
export function labelProblem(response: ServerResponse, code: string): void {
  (response as Labelled)[PROBLEM] = code;
}

/** Nest's catch-all route, which answers the 404 of a path no controller takes (Express 5's wildcard syntax). */
const CATCH_ALL = '{/*splat}';

/**
 * The route template of an answered request: the fast lane's label, or the
 * Express route Nest matched (`/v1/certificates/:folio`), or `unmatched` for a
 * request no route took: a path no controller has (Nest's catch-all), or a
 * request refused before routing (a body too large, not JSON). 404s of any
 * path count as one series.
 */
export function routeOf(request: IncomingMessage): string {
  const labelled = (request as Labelled)[ROUTE];
  if (labelled) return labelled;
  const express = request as IncomingMessage & { route?: { path?: unknown }; baseUrl?: string };
  const path = express.route?.path;
  return typeof path === 'string' && path !== CATCH_ALL ? `${express.baseUrl ?? ''}${path}` : 'unmatched';
}

export function problemOf(response: ServerResponse): string | undefined {
  return (response as Labelled)[PROBLEM];
}
