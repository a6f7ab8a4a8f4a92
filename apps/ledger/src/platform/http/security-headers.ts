import helmet, { type HelmetOptions } from 'helmet';
import type { IncomingMessage, ServerResponse } from 'node:http';

/**
 * Every answer starts as `no-store`: names, CURP-derived ids and audit rows
 * must not linger in a browser's or a proxy's cache. Public answers asked
 * without a token are `no-cache` instead (stored, but revalidated on every
 * use, so a revocation shows at once); the auth guard knows which routes are
 * public, this edge only knows the documentation pages.
 */
export const AUTHENTICATED_CACHE_CONTROL = 'no-store';
export const PUBLIC_CACHE_CONTROL = 'no-cache';

/**
 * JSON, CSV and problem answers are never rendered as pages: nothing may load,
 * run, frame or submit from them.
 */
const API_POLICY = {
  'default-src': ["'none'"],
  'base-uri': ["'none'"],
  'form-action': ["'none'"],
  'frame-ancestors': ["'none'"],
};

/**
 * What the Swagger UI of @nestjs/swagger at `/docs` needs, and no more. Its
 * page loads swagger-ui-bundle.js, swagger-ui-standalone-preset.js and
 * swagger-ui-init.js from `/docs/` (no inline script, no eval), with the
 * OpenAPI document inside swagger-ui-init.js; swagger-ui.css and two favicons
 * from `/docs/`; its CSS draws icons from data: URIs; "Try it out" calls the
 * API on this origin. Styles need 'unsafe-inline': the page has two inline
 * <style> blocks and a style attribute on its SVG sprite, whose hashes would
 * change silently with any upgrade of @nestjs/swagger, and CSS cannot run
 * code. The online validator badge (an image from validator.swagger.io) is
 * not drawn when the document is embedded, as it is here, so nothing is
 * loaded from another origin.
 */
const DOCS_POLICY = {
  'default-src': ["'none'"],
  'script-src': ["'self'"],
  'style-src': ["'self'", "'unsafe-inline'"],
  'img-src': ["'self'", 'data:'],
  'connect-src': ["'self'"],
  'base-uri': ["'none'"],
  'form-action': ["'self'"],
  'frame-ancestors': ["'none'"],
  'object-src': ["'none'"],
};

/**
 * The ledger's own pages (the public verification page, later the console):
 * their script, styles and API calls come from this origin only, no inline
 * script or style, nothing framed, nothing sent elsewhere.
 */
const PAGE_POLICY = {
  'default-src': ["'none'"],
  'script-src': ["'self'"],
  'style-src': ["'self'"],
  'img-src': ["'self'", 'data:'],
  'connect-src': ["'self'"],
  'base-uri': ["'none'"],
  'form-action': ["'self'"],
  'frame-ancestors': ["'none'"],
  'object-src': ["'none'"],
};

/**
 * Helmet's defaults (nosniff, HSTS, same-origin opener and resource
 * policies, no DNS prefetch…) with frames refused outright and no referrer
 * sent anywhere. HSTS only takes effect where the ledger is reached over
 * HTTPS (a TLS-terminating proxy passes it on); browsers ignore it on HTTP.
 */
function helmetWith(policy: Record<string, string[]>): ReturnType<typeof helmet> {
  const options: HelmetOptions = {
    contentSecurityPolicy: { useDefaults: false, directives: policy },
    xFrameOptions: { action: 'deny' },
    referrerPolicy: { policy: 'no-referrer' },
  };
  return helmet(options);
}

const apiHeaders = helmetWith(API_POLICY);
const docsHeaders = helmetWith(DOCS_POLICY);
const pageHeaders = helmetWith(PAGE_POLICY);

/** `/verify`, `/verify/{folio}` and the console's files under `/console/`. */
export function isPagePath(url: string | undefined): boolean {
  const path = pathOf(url);
  return path === '/verify' || path.startsWith('/verify/') || path === '/console' || path.startsWith('/console/');
}

/** A request's path without its query, in lower case: routing ignores case, and so do the checks below. */
const pathOf = (url: string | undefined): string => (url ?? '').split('?')[0].toLowerCase();

/** `/docs` and its assets, not `/docs-json` (a JSON document like any other answer). */
export function isDocsPath(url: string | undefined): boolean {
  const path = pathOf(url);
  return path === '/docs' || path.startsWith('/docs/');
}

const OPENAPI_DOCUMENTS = ['/docs-json', '/docs-yaml'];

function isPublicDocument(url: string | undefined): boolean {
  return isDocsPath(url) || OPENAPI_DOCUMENTS.includes(pathOf(url));
}

/**
 * Registered first, so that every answer carries the headers: successes,
 * problem answers, 404s, the documentation and what body-parser refuses.
 */
export function securityHeadersMiddleware(request: IncomingMessage, response: ServerResponse, next: (error?: unknown) => void): void {
  const anonymousDocument = request.headers.authorization === undefined && (isPublicDocument(request.url) || isPagePath(request.url));
  response.setHeader('Cache-Control', anonymousDocument ? PUBLIC_CACHE_CONTROL : AUTHENTICATED_CACHE_CONTROL);
  (isDocsPath(request.url) ? docsHeaders : isPagePath(request.url) ? pageHeaders : apiHeaders)(request, response, next);
}

/**
 * The headers of an API answer as a plain list, for the answers written
 * straight to a socket before any request exists (a request whose headers
 * Node could not parse). Taken from the same helmet instance, so the two can
 * never drift.
 */
export function securityHeadersForRawAnswers(): Record<string, string> {
  const headers: Record<string, string> = { 'Cache-Control': AUTHENTICATED_CACHE_CONTROL };
  const recorder = {
    setHeader: (name: string, value: string | number) => (headers[name] = String(value)),
    removeHeader: (name: string) => delete headers[name],
  };
  apiHeaders({ headers: {} } as IncomingMessage, recorder as unknown as ServerResponse, () => undefined);
  return headers;
}
