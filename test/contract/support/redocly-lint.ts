import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runPackageBin } from './package-bins';

export interface LintProblem {
  ruleId: string;
  severity: 'error' | 'warn';
  message: string;
  /** JSON pointer into the document. */
  pointer: string;
}

interface RedoclyReport {
  totals: { errors: number; warnings: number };
  problems: { ruleId: string; severity: 'error' | 'warn'; message: string; location?: { pointer?: string }[] }[];
}

/**
 * `redocly lint --extends=recommended` on a document, run in an empty folder
 * so that no redocly.yaml of the checkout changes the rules.
 */
export async function lintOpenApi(document: object): Promise<LintProblem[]> {
  const dir = mkdtempSync(join(tmpdir(), 'ledger-redocly-'));
  try {
    writeFileSync(join(dir, 'openapi.json'), JSON.stringify(document, null, 2));
    const run = await runPackageBin('@redocly/cli/bin/cli.js', ['lint', 'openapi.json', '--extends=recommended', '--format=json', '--max-problems=1000'], dir);
    let report: RedoclyReport;
    try {
      report = JSON.parse(run.stdout) as RedoclyReport;
    } catch {
      throw new Error(`redocly lint gave no report (exit ${run.code}):\n${run.stdout}\n${run.stderr}`);
    }
    return report.problems.map((problem) => ({
      ruleId: problem.ruleId,
      severity: problem.severity,
      message: problem.message,
      pointer: problem.location?.[0]?.pointer ?? '',
    }));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
