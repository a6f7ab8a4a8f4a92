/**
 * The layers of the repository, checked in `npm test` (test/architecture):
 *
 *   apps/*   above the libraries; no app imports another (they talk through processes and HTTP)
 *   libs/*   below the apps; libs/domain at the ground, importing no other part of the repository
 *   test/    above everything; nothing in apps/ or libs/ imports it (the benchmarks, beside the tests, may)
 *   across packages, only an entry point: a library's src/index.ts, or its src/testing/index.ts
 *
 * Paths are resolved as TypeScript resolves them (tsconfig.json's @ledger/* paths).
 */
const ENTRY_POINT = '^libs/[^/]+/src/(index\\.ts|testing/index\\.ts)$';

module.exports = {
  forbidden: [
    {
      name: 'no-app-to-app',
      comment: 'An app imports no other app: shared code belongs in a library (libs/platform for the apps’ own plumbing).',
      severity: 'error',
      from: { path: '^apps/([^/]+)/' },
      to: { path: '^apps/', pathNot: '^apps/$1/' },
    },
    {
      name: 'libs-below-apps',
      comment: 'A library never imports an app.',
      severity: 'error',
      from: { path: '^libs/' },
      to: { path: '^apps/' },
    },
    {
      name: 'domain-at-the-ground',
      comment: 'The domain imports no other part of the repository (its purity spec checks the rest: no framework, clock, randomness).',
      severity: 'error',
      from: { path: '^libs/domain/' },
      to: { path: '^(apps|libs|test|bench)/', pathNot: '^libs/domain/' },
    },
    {
      name: 'nothing-imports-test',
      comment: 'Apps and libraries never import test/: test helpers a library needs live in its src/testing entry point.',
      severity: 'error',
      from: { path: '^(apps|libs)/' },
      to: { path: '^test/' },
    },
    {
      name: 'libraries-through-their-entry-points',
      comment: 'Across packages, a library is imported through its entry point (@ledger/x or @ledger/x/testing), never a file inside it.',
      severity: 'error',
      from: { path: '^libs/([^/]+)/' },
      to: { path: '^libs/[^/]+/src/', pathNot: ['^libs/$1/', ENTRY_POINT] },
    },
    {
      name: 'apps-and-tests-through-entry-points',
      comment: 'Apps, tests and benchmarks import a library through its entry point (@ledger/x or @ledger/x/testing), never a file inside it.',
      severity: 'error',
      from: { path: '^(apps|test|bench)/' },
      to: { path: '^libs/[^/]+/src/', pathNot: ENTRY_POINT },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '^(node_modules|dist)/' },
    tsConfig: { fileName: 'tsconfig.json' },
    tsPreCompilationDeps: true,
    enhancedResolveOptions: { extensions: ['.ts', '.js', '.json'], conditionNames: ['require', 'node', 'default'] },
  },
};
