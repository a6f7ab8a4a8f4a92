import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import * as ts from 'typescript';

const ROOT = resolve(__dirname, '../..');

/** The fold of a projection declaring `declared` and handling `handled`, written as the ledger's folds are. */
function foldSource(declared: readonly string[], handled: readonly string[]): string {
  return `import type { LedgerEventType } from '@ledger/domain';
import type { RecordedEvent } from '@ledger/event-store';
import { asFoldedEvent, unexpectedEvent } from ${JSON.stringify(join(ROOT, 'libs/projections/src/ledger-events'))};
const EVENT_TYPES = ${JSON.stringify(declared)} as const satisfies readonly LedgerEventType[];
export function fold(recorded: RecordedEvent): string {
  const event = asFoldedEvent(recorded, EVENT_TYPES);
  switch (event.type) {
${handled.map((type) => `    case '${type}':\n      return event.data.processId;`).join('\n')}
    default:
      return unexpectedEvent('example', event);
  }
}
`;
}

/** The type errors of each source, compiled together with the repository's settings and @ledger/* paths. */
function typeErrors(sources: Record<string, string>): Record<string, string[]> {
  const dir = mkdtempSync(join(tmpdir(), 'ledger-folds-'));
  try {
    const files = Object.entries(sources).map(([name, text]) => {
      const file = join(dir, `${name}.ts`);
      writeFileSync(file, text);
      return [name, file] as const;
    });
    const { config } = ts.readConfigFile(join(ROOT, 'tsconfig.json'), ts.sys.readFile);
    const options = ts.parseJsonConfigFileContent(config, ts.sys, ROOT).options;
    const program = ts.createProgram(
      files.map(([, file]) => file),
      { ...options, noEmit: true, incremental: false, tsBuildInfoFile: undefined, rootDir: undefined },
    );
    return Object.fromEntries(
      files.map(([name, file]) => [
        name,
        ts.getPreEmitDiagnostics(program, program.getSourceFile(file)).map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n')),
      ]),
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * Projections are typed so that their folds cover exactly what they declare:
 * a fold whose switch misses a declared event type does not compile, nor
 * does a case for a type the projection does not declare.
 */
describe('exhaustive folds (asFoldedEvent, unexpectedEvent)', () => {
  jest.setTimeout(120_000);

  it('compile when the switch handles every declared type, and fail when one is missing or one is not declared', () => {
    const declared = ['CandidateEnrolled', 'TrainingRecorded', 'EvaluationRecorded'];
    const errors = typeErrors({
      complete: foldSource(declared, declared),
      missing: foldSource(declared, ['CandidateEnrolled', 'EvaluationRecorded']),
      undeclared: foldSource(['CandidateEnrolled', 'TrainingRecorded'], ['CandidateEnrolled', 'TrainingRecorded', 'EvaluationRecorded']),
    });
    expect(errors.complete).toEqual([]);
    expect(errors.missing.join('\n')).toMatch(/not assignable to parameter of type 'never'/);
    expect(errors.undeclared.join('\n')).toMatch(/"EvaluationRecorded"' is not comparable to type '"CandidateEnrolled" \| "TrainingRecorded"'/);
  });
});
