import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';

/**
 * libs/domain stays pure: no framework, database or crypto imports, and no
 * clock or randomness, so every decision is a function of its arguments.
 * This spec is the automated check ARCHITECTURE.md asks for.
 */
const ROOT = __dirname;

const FORBIDDEN_IMPORTS: readonly RegExp[] = [
  /^@nestjs\//,
  /^typeorm(\/|$)/,
  /^pg(\/|$)/,
  /^@eventstore\//,
  /^express(\/|$)/,
  /^class-validator(\/|$)/,
  /^class-transformer(\/|$)/,
  /^node:/,
  /^(crypto|fs|fs\/promises|path|os|child_process|http|https|net|worker_threads|process|util)$/,
];

const FORBIDDEN_CALLS: readonly [RegExp, string][] = [
  [/new\s+Date\s*\(\s*\)/, 'new Date()'],
  [/\bDate\s*\.\s*now\s*\(/, 'Date.now()'],
  [/\bMath\s*\.\s*random\s*\(/, 'Math.random()'],
  [/\bcrypto\s*\.\s*(randomUUID|getRandomValues|randomBytes)\b/, 'crypto randomness'],
  [/\bperformance\s*\.\s*now\s*\(/, 'performance.now()'],
];

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return entry.name.endsWith('.ts') && !entry.name.endsWith('.spec.ts') ? [path] : [];
  });
}

/** Module specifiers of static imports, re-exports, dynamic imports and requires. */
function importedModules(source: string): string[] {
  const pattern = /(?:\bfrom\s*|\bimport\s*\(\s*|\brequire\s*\(\s*|^\s*import\s+)['"]([^'"]+)['"]/gm;
  return [...source.matchAll(pattern)].map((match) => match[1]);
}

/** Drops comments so that a comment explaining a rule does not trip it. */
function withoutComments(source: string): string {
  return source.replace(/\/\*[\s\S]*?\*\//g, '').replace(/(^|[^:])\/\/.*$/gm, '$1');
}

describe('libs/domain purity', () => {
  const files = sourceFiles(ROOT);

  it('finds the sources it checks', () => {
    expect(files.length).toBeGreaterThan(20);
  });

  it.each(files.map((file) => [relative(ROOT, file), file]))('%s imports nothing impure', (_name, file) => {
    const offending = importedModules(readFileSync(file, 'utf8')).filter((module) =>
      FORBIDDEN_IMPORTS.some((pattern) => pattern.test(module)),
    );
    expect(offending).toEqual([]);
  });

  it.each(files.map((file) => [relative(ROOT, file), file]))('%s reads no clock and no randomness', (_name, file) => {
    const code = withoutComments(readFileSync(file, 'utf8'));
    const offending = FORBIDDEN_CALLS.filter(([pattern]) => pattern.test(code)).map(([, name]) => name);
    expect(offending).toEqual([]);
  });

  it('would catch the things it forbids', () => {
    expect(importedModules("import { Injectable } from '@nestjs/common';\nconst c = require('crypto');")).toEqual([
      '@nestjs/common',
      'crypto',
    ]);
    const bad = 'const t = new Date(); const r = Math.random(); const n = Date.now();';
    expect(FORBIDDEN_CALLS.filter(([pattern]) => pattern.test(bad))).toHaveLength(3);
    expect(FORBIDDEN_CALLS.some(([pattern]) => pattern.test("new Date('2024-01-01')"))).toBe(false);
  });
});
