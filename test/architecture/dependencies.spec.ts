import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';

const ROOT = resolve(__dirname, '../..');
const CONFIG = join(ROOT, '.dependency-cruiser.cjs');
const DEPCRUISE = join(ROOT, 'node_modules', 'dependency-cruiser', 'bin', 'dependency-cruise.mjs');

interface Violation {
  from: string;
  to: string;
  rule: { name: string };
}

/** dependency-cruiser over `paths` (relative to `cwd`) with the repository's rules (.dependency-cruiser.cjs): the violations. */
function violationsIn(cwd: string, paths: readonly string[]): Violation[] {
  let output: string;
  try {
    output = execFileSync(process.execPath, [DEPCRUISE, '--config', CONFIG, '--output-type', 'json', ...paths], { cwd, encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
  } catch (error) {
    // It exits non-zero when it finds violations; its JSON is on stdout all the same.
    output = (error as { stdout?: string }).stdout ?? '';
    if (!output) throw error;
  }
  return (JSON.parse(output) as { summary: { violations: Violation[] } }).summary.violations;
}

/**
 * The layers the repository keeps (apps above libraries, the domain at the
 * ground, no app importing another, nothing importing test/, libraries only
 * through their entry points), checked by dependency-cruiser on the code as
 * it is, and shown to catch each kind of breach on a small tree that has one.
 */
describe('the dependency rules (.dependency-cruiser.cjs)', () => {
  jest.setTimeout(60_000);

  it('hold on the repository', () => {
    const found = violationsIn(ROOT, ['apps', 'libs', 'test', 'bench']).map((v) => `${v.rule.name}: ${v.from} → ${v.to}`);
    expect(found).toEqual([]);
  });

  it('fail on a deliberate app→app import, and on each other breach', () => {
    const tree = mkdtempSync(join(tmpdir(), 'ledger-layers-'));
    const file = (path: string, text: string) => {
      mkdirSync(dirname(join(tree, path)), { recursive: true });
      writeFileSync(join(tree, path), text);
    };
    try {
      file('tsconfig.json', JSON.stringify({ compilerOptions: { module: 'commonjs', paths: { '@ledger/platform': ['./libs/platform/src'] } } }));
      file('apps/cli/src/main.ts', "import { serve } from '../../ledger/src/server';\nserve();\n");
      file('apps/ledger/src/server.ts', "import { token } from '@ledger/platform';\nexport const serve = () => token;\n");
      file('apps/ledger/src/inside.ts', "import { helper } from '../../../libs/platform/src/helper';\nexport const x = helper;\n");
      file('libs/platform/src/index.ts', "export { helper as token } from './helper';\n");
      file('libs/platform/src/helper.ts', "import { shared } from '../../../test/support/shared';\nexport const helper = shared;\n");
      file('libs/platform/src/uses-app.ts', "import { serve } from '../../../apps/ledger/src/server';\nexport const y = serve;\n");
      file('libs/domain/src/rule.ts', "import { token } from '@ledger/platform';\nexport const rule = token;\n");
      file('test/support/shared.ts', 'export const shared = 1;\n');
      const found = violationsIn(tree, ['apps', 'libs', 'test']).map((v) => [v.rule.name, v.from, v.to]);
      expect(found.sort()).toEqual(
        [
          ['no-app-to-app', 'apps/cli/src/main.ts', 'apps/ledger/src/server.ts'],
          ['apps-and-tests-through-entry-points', 'apps/ledger/src/inside.ts', 'libs/platform/src/helper.ts'],
          ['nothing-imports-test', 'libs/platform/src/helper.ts', 'test/support/shared.ts'],
          ['libs-below-apps', 'libs/platform/src/uses-app.ts', 'apps/ledger/src/server.ts'],
          ['domain-at-the-ground', 'libs/domain/src/rule.ts', 'libs/platform/src/index.ts'],
        ].sort(),
      );
    } finally {
      rmSync(tree, { recursive: true, force: true });
    }
  });
});
