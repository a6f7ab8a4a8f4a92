import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

/** The console's static files (apps/console/public), found from this file upwards, whether run from source or from dist. */
export function consoleFilesDir(from: string = __dirname): string {
  for (let dir = from, up = 0; up < 10; dir = dirname(dir), up++) {
    const candidate = join(dir, 'apps', 'console', 'public');
    if (existsSync(join(candidate, 'verify.html'))) return candidate;
  }
  throw new Error(`the console's files (apps/console/public) are not found above ${from}`);
}

export interface StaticFile {
  readonly contentType: string;
  readonly body: Buffer;
}

const TYPES: Readonly<Record<string, string>> = {
  html: 'text/html; charset=utf-8',
  js: 'text/javascript; charset=utf-8',
  css: 'text/css; charset=utf-8',
};

/** The files the ledger serves, read once at start: a page is never read from a path a request names. */
export function loadConsoleFiles(dir: string, names: readonly string[]): ReadonlyMap<string, StaticFile> {
  return new Map(
    names.map((name) => {
      const type = TYPES[name.slice(name.lastIndexOf('.') + 1)];
      if (!type) throw new Error(`no content type for ${name}`);
      return [name, { contentType: type, body: readFileSync(join(dir, name)) }];
    }),
  );
}

/** A browser library's distribution file, from the installed package (package.json pins its version). */
export function loadVendorFile(request: string): StaticFile {
  return { contentType: TYPES.js, body: readFileSync(require.resolve(request)) };
}
