/**
 * NestJS 12 is published as ES modules, which Jest's CommonJS runtime cannot
 * load; the ledger's classes use Nest only for decorators and a few base
 * classes. Unit specs of handlers and services map `@nestjs/common` and
 * `@nestjs/cqrs` here (jest.config.js): every decorator is a no-op, every
 * other export a plain class, so the class under test is the ledger's own
 * code, constructed by the spec with the collaborators it chooses (a fixed
 * clock, a test store). Nest's wiring itself is tested end to end.
 */
function universal(this: unknown, ..._args: unknown[]): unknown {
  // Constructed (a base class such as HttpException): nothing to set up.
  if (new.target) return undefined;
  // Called as a decorator factory (`@Injectable()`), or as a decorator itself: a decorator that leaves its target as it is.
  return () => undefined;
}

class Logger {
  log(): void {}
  warn(): void {}
  error(): void {}
  debug(): void {}
  verbose(): void {}
}

const known: Record<string, unknown> = { Logger };

module.exports = new Proxy(known, {
  get: (target, name) => (typeof name === 'string' && name in target ? target[name] : name === '__esModule' ? true : universal),
});
