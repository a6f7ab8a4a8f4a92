import { foldInMemory, recorded, tableWrites } from '../testing/recorded';
import { programsProjection } from './programs.projection';

const launched = recorded(3, 'program-tijuana-2018', 'ProgramLaunched', {
  programId: 'tijuana-2018', name: 'Tijuana 2018', jurisdiction: { state: 'BC', municipality: 'Tijuana' }, standards: ['EC0105'],
  startsOn: '2018-01-01', endsOn: '2018-12-31', target: { count: 600 }, launchedAt: '2018-01-10T16:00:00.000Z',
});
const targetChanged = recorded(7, 'program-tijuana-2018', 'ProgramTargetChanged', {
  programId: 'tijuana-2018', target: { share: 0.1, workforce: 7000 }, previousTarget: { count: 600 }, reason: 'Censo de plantilla', changedAt: '2018-05-02T16:00:00.000Z',
});
const extended = recorded(9, 'program-tijuana-2018', 'ProgramPeriodExtended', {
  programId: 'tijuana-2018', endsOn: '2019-06-30', previousEndsOn: '2018-12-31', reason: 'Acuerdo de cabildo', extendedAt: '2018-12-14T16:00:00.000Z',
});

describe('programs projection', () => {
  it('keeps the terms in force and every earlier version of them with what changed and why', () => {
    const rows = foldInMemory(programsProjection, [launched, targetChanged, extended]);
    expect(tableWrites(rows, 'programs').puts).toEqual([
      expect.objectContaining({ program_id: 'tijuana-2018', target: { share: 0.1, workforce: 7000 }, ends_on: '2019-06-30', starts_on: '2018-01-01', launched_position: '3', position: '9' }),
    ]);
    const terms = tableWrites(rows, 'program_terms').appends.map((row) => [row.position, row.change, row.target, row.ends_on, row.reason]);
    expect(terms).toEqual([
      ['3', 'ProgramLaunched', { count: 600 }, '2018-12-31', null],
      ['7', 'ProgramTargetChanged', { share: 0.1, workforce: 7000 }, '2018-12-31', 'Censo de plantilla'],
      ['9', 'ProgramPeriodExtended', { share: 0.1, workforce: 7000 }, '2019-06-30', 'Acuerdo de cabildo'],
    ]);
  });

  it('amends a program launched in an earlier batch from its stored row', () => {
    const stored = { programs: [{ program_id: 'tijuana-2018', name: 'Tijuana 2018', state: 'BC', municipality: 'Tijuana', standards: ['EC0105'], starts_on: '2018-01-01', ends_on: '2018-12-31', target: { count: 600 }, launched_at: '2018-01-10T16:00:00.000Z', launched_position: '3', position: '3' }] };
    const rows = foldInMemory(programsProjection, [extended], stored);
    expect(tableWrites(rows, 'program_terms').appends).toEqual([expect.objectContaining({ target: { count: 600 }, ends_on: '2019-06-30', position: '9', change: 'ProgramPeriodExtended' })]);
  });

  it('writes nothing for an amendment of a program the log never launched, and copes with a launch that lacks its fields', () => {
    expect(tableWrites(foldInMemory(programsProjection, [extended]), 'program_terms').appends).toEqual([]);
    const bare = recorded(1, 'program-x', 'ProgramLaunched', { programId: 'x' });
    expect(tableWrites(foldInMemory(programsProjection, [bare]), 'programs').puts).toEqual([expect.objectContaining({ program_id: 'x', state: null, standards: [], target: null })]);
  });
});
