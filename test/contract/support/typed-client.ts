import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import ts from 'typescript';
import { runPackageBin } from './package-bins';

const REPO_ROOT = resolve(__dirname, '../../..');
/** The client program, as a client of the ledger would write it. */
export const CLIENT_PROGRAM = join(REPO_ROOT, 'test/contract/client/read-certificates.ts');

/** Generates the TypeScript types of an OpenAPI document with the openapi-typescript command, as a client's build would. */
export async function generateTypes(document: object): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), 'ledger-openapi-'));
  try {
    writeFileSync(join(dir, 'openapi.json'), JSON.stringify(document));
    const run = await runPackageBin('openapi-typescript/bin/cli.js', ['openapi.json', '--output', 'ledger-api.ts'], dir);
    if (run.code !== 0) throw new Error(`openapi-typescript failed (${run.code}):\n${run.stdout}\n${run.stderr}`);
    return readFileSync(join(dir, 'ledger-api.ts'), 'utf8');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * Type-checks the client program against generated types, strictly and
 * without emitting: the types become the module `ledger-api` the client
 * imports (in place of the placeholder the project's type check uses), and a
 * check file makes sure none of the answers the client reads came out as
 * `any`, which would pass for anything. Returns the compiler's diagnostics,
 * one line each; none means the client compiles.
 */
export function typeCheckClient(generatedTypes: string): string[] {
  const dir = mkdtempSync(join(tmpdir(), 'ledger-client-'));
  try {
    const files = {
      api: join(dir, 'ledger-api.d.ts'),
      client: join(dir, 'read-certificates.ts'),
      check: join(dir, 'answers-are-typed.ts'),
    };
    writeFileSync(files.api, `declare module 'ledger-api' {\n${generatedTypes}\n}\n`);
    writeFileSync(files.client, readFileSync(CLIENT_PROGRAM, 'utf8'));
    writeFileSync(files.check, ANSWERS_ARE_TYPED);
    const program = ts.createProgram(Object.values(files), {
      strict: true,
      noEmit: true,
      noUnusedLocals: true,
      target: ts.ScriptTarget.ES2022,
      lib: ['lib.es2022.d.ts'],
      module: ts.ModuleKind.ESNext,
      moduleResolution: ts.ModuleResolutionKind.Bundler,
      types: ['node'],
      typeRoots: [join(REPO_ROOT, 'node_modules/@types')],
      skipLibCheck: true,
    });
    return ts.getPreEmitDiagnostics(program).map((diagnostic) => describe(diagnostic, dir));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** `any` would silently accept whatever a route answers; each answer the client reads must be a real type. */
const ANSWERS_ARE_TYPED = `
import type { Certificate, CertificationStats, Problem, TransparencyCsv, TransparencyReport } from './read-certificates';
type Typed<T> = 0 extends 1 & T ? false : true;
export const typed: [Typed<Certificate>, Typed<CertificationStats>, Typed<TransparencyReport>, Typed<TransparencyCsv>, Typed<Problem>] = [true, true, true, true, true];
`;

function describe(diagnostic: ts.Diagnostic, dir: string): string {
  const message = ts.flattenDiagnosticMessageText(diagnostic.messageText, '\n');
  if (!diagnostic.file || diagnostic.start === undefined) return message;
  const { line, character } = diagnostic.file.getLineAndCharacterOfPosition(diagnostic.start);
  return `${diagnostic.file.fileName.replace(`${dir}/`, '')}:${line + 1}:${character + 1} ${message}`;
}
