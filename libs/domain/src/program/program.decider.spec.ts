import { given } from '../testing/given-when-then';
import { authority, certifier, comptroller, meta, NOW } from '../testing/ledger-fixtures';
import type { StandardState } from '../standard/standard.state';
import type { ChangeProgramTarget, ExtendProgramPeriod, LaunchProgram } from './program.commands';
import { programDecider, targetCount } from './program.decider';
import type { ProgramEvent, ProgramLaunched } from './program.events';

const EC0105: StandardState = {
  status: 'active', code: 'EC0105', version: '01', title: 'Atención al ciudadano en el sector público', validityYears: 5, registeredAt: '2017-01-01T00:00:00.000Z',
};

const launch = (data: Partial<LaunchProgram['data']> = {}, actor = authority): LaunchProgram => ({
  type: 'LaunchProgram',
  data: {
    programId: 'tijuana-2018',
    name: 'Certificación de servidores públicos de Tijuana 2018',
    jurisdiction: { state: 'BC', municipality: 'Tijuana' },
    standards: ['EC0105'],
    startsOn: '2018-01-01',
    endsOn: '2018-12-31',
    target: { count: 600 },
    standardStates: { EC0105 },
    ...data,
  },
  metadata: meta(actor),
});

const launched = (data: Partial<ProgramLaunched['data']> = {}): ProgramLaunched => ({
  type: 'ProgramLaunched',
  data: {
    programId: 'tijuana-2018',
    name: 'Certificación de servidores públicos de Tijuana 2018',
    jurisdiction: { state: 'BC', municipality: 'Tijuana' },
    standards: ['EC0105'],
    startsOn: '2018-01-01',
    endsOn: '2018-12-31',
    target: { count: 600 },
    launchedAt: NOW,
    ...data,
  },
});

const changeTarget = (data: Partial<ChangeProgramTarget['data']> = {}, actor = authority): ChangeProgramTarget => ({
  type: 'ChangeProgramTarget',
  data: { programId: 'tijuana-2018', target: { count: 700 }, reason: 'Censo de plantilla 2018', ...data },
  metadata: meta(actor),
});

const extend = (data: Partial<ExtendProgramPeriod['data']> = {}, actor = authority): ExtendProgramPeriod => ({
  type: 'ExtendProgramPeriod',
  data: { programId: 'tijuana-2018', endsOn: '2019-06-30', reason: 'Acuerdo de cabildo', ...data },
  metadata: meta(actor),
});

describe('program decider', () => {
  describe('LaunchProgram', () => {
    it('launches a program with a count target, its text and jurisdiction normalised', () => {
      given(programDecider)
        .when(launch({ name: '  Certificación de servidores públicos de Tijuana 2018 ', jurisdiction: { state: 'bc', municipality: 'Tijuana' }, standards: ['ec0105'] }))
        .then([launched()]);
    });

    it('launches a program whose target is a share of a workforce', () => {
      const share = { share: 0.5, workforce: 16_270 };
      given(programDecider)
        .when(launch({ programId: 'bc-50', jurisdiction: { state: 'BC' }, target: share }))
        .then([launched({ programId: 'bc-50', jurisdiction: { state: 'BC' }, target: share })]);
    });

    it('is for the authority only', () => {
      given(programDecider).when(launch({}, certifier)).thenThrows('ROLE_NOT_ALLOWED');
      given(programDecider).when(launch({}, comptroller)).thenThrows('ROLE_NOT_ALLOWED');
    });

    it('refuses a program id that was already launched', () => {
      given(programDecider, [launched()]).when(launch()).thenThrows('PROGRAM_ALREADY_LAUNCHED');
    });

    it.each([
      ['no target', undefined, 'target'],
      ['an array', [600], 'target'],
      ['both forms at once', { count: 600, share: 0.5, workforce: 100 }, 'target'],
      ['a count of zero', { count: 0 }, 'target.count'],
      ['a fractional count', { count: 2.5 }, 'target.count'],
      ['a count given as text', { count: '600' }, 'target.count'],
      ['a count beyond any workforce', { count: 10_000_001 }, 'target.count'],
      ['a share given as a percentage', { share: 50, workforce: 16_270 }, 'target.share'],
      ['a share of zero', { share: 0, workforce: 16_270 }, 'target.share'],
      ['a share that is not a number', { share: Number.NaN, workforce: 16_270 }, 'target.share'],
      ['a share without a workforce', { share: 0.5 }, 'target'],
      ['a fractional workforce', { share: 0.5, workforce: 100.5 }, 'target.workforce'],
      ['an extra member', { count: 600, note: 'x' }, 'target'],
    ])('refuses %s as target', (_, target, field) => {
      given(programDecider).when(launch({ target: target as never })).thenThrows('PROGRAM_TARGET_INVALID', { field });
    });

    it('refuses a period that ends before it starts, or runs longer than twenty years', () => {
      given(programDecider).when(launch({ startsOn: '2018-12-31', endsOn: '2018-01-01' })).thenThrows('VALIDITY_PERIOD_INVALID', { field: 'endsOn' });
      given(programDecider).when(launch({ startsOn: '2018-01-01', endsOn: '2038-01-01' })).thenThrows('INVALID_FIELD', { field: 'endsOn' });
      given(programDecider).when(launch({ startsOn: '2018-02-30' })).thenThrows('INVALID_DATE', { field: 'startsOn' });
    });

    it('accepts a program of one day', () => {
      given(programDecider).when(launch({ startsOn: '2018-11-13', endsOn: '2018-11-13' })).then([launched({ startsOn: '2018-11-13', endsOn: '2018-11-13' })]);
    });

    it('needs every standard registered and active', () => {
      given(programDecider).when(launch({ standards: ['EC0105', 'EC0217'] })).thenThrows('STANDARD_NOT_FOUND', { code: 'EC0217' });
      const retired: StandardState = { ...EC0105, status: 'retired', retiredAt: NOW, retirementReason: 'Sustituido' };
      given(programDecider).when(launch({ standardStates: { EC0105: retired } })).thenThrows('STANDARD_NOT_ACTIVE');
      given(programDecider).when(launch({ standards: [] })).thenThrows('STANDARDS_REQUIRED');
    });

    it('refuses a program id that cannot name a stream or a URL, and text that is not text', () => {
      for (const programId of ['', 'tij 2018', 'a/b', '-x', 'x'.repeat(65), '../etc']) {
        given(programDecider).when(launch({ programId })).thenThrows(programId === '' ? 'REQUIRED_FIELD' : 'INVALID_FIELD', { field: 'programId' });
      }
      given(programDecider).when(launch({ name: 'Tijuana\u0000' })).thenThrows('INVALID_TEXT', { field: 'name' });
      given(programDecider).when(launch({ name: 'x'.repeat(201) })).thenThrows('INVALID_FIELD', { field: 'name' });
      given(programDecider).when(launch({ jurisdiction: { state: 'XX' } })).thenThrows('STATE_CODE_UNKNOWN');
      given(programDecider).when(launch({ jurisdiction: { state: 'BC', municipality: 'Tij\u202Euana' } })).thenThrows('INVALID_TEXT', { field: 'jurisdiction.municipality' });
    });
  });

  describe('ChangeProgramTarget', () => {
    it('changes the target with a reason, keeping the previous one in the event', () => {
      given(programDecider, [launched()])
        .when(changeTarget())
        .then([{ type: 'ProgramTargetChanged', data: { programId: 'tijuana-2018', target: { count: 700 }, previousTarget: { count: 600 }, reason: 'Censo de plantilla 2018', changedAt: NOW } }]);
    });

    it('may turn a count into a share of the workforce', () => {
      given(programDecider, [launched()])
        .when(changeTarget({ target: { share: 0.6, workforce: 1000 } }))
        .thenState({ status: 'launched', ...launched({ target: { share: 0.6, workforce: 1000 } }).data });
    });

    it('needs the program, a reason, a new target and the authority', () => {
      given(programDecider).when(changeTarget()).thenThrows('PROGRAM_NOT_FOUND');
      given(programDecider, [launched()]).when(changeTarget({ reason: ' ' })).thenThrows('REQUIRED_FIELD', { field: 'reason' });
      given(programDecider, [launched()]).when(changeTarget({ target: { count: 600 } })).thenThrows('PROGRAM_TARGET_UNCHANGED');
      given(programDecider, [launched()]).when(changeTarget({ target: { count: -1 } })).thenThrows('PROGRAM_TARGET_INVALID');
      given(programDecider, [launched()]).when(changeTarget({}, certifier)).thenThrows('ROLE_NOT_ALLOWED');
    });
  });

  describe('ExtendProgramPeriod', () => {
    it('extends the period with a reason', () => {
      const events: ProgramEvent[] = [launched()];
      given(programDecider, events)
        .when(extend())
        .then([{ type: 'ProgramPeriodExtended', data: { programId: 'tijuana-2018', endsOn: '2019-06-30', previousEndsOn: '2018-12-31', reason: 'Acuerdo de cabildo', extendedAt: NOW } }]);
    });

    it('never shortens a program, nor keeps its end as it is', () => {
      given(programDecider, [launched()]).when(extend({ endsOn: '2018-12-31' })).thenThrows('PROGRAM_PERIOD_NOT_EXTENDED');
      given(programDecider, [launched()]).when(extend({ endsOn: '2018-06-30' })).thenThrows('PROGRAM_PERIOD_NOT_EXTENDED', { endsOn: '2018-12-31' });
      given(programDecider, [launched()]).when(extend({ endsOn: '2040-01-01' })).thenThrows('INVALID_FIELD', { field: 'endsOn' });
      given(programDecider).when(extend()).thenThrows('PROGRAM_NOT_FOUND');
    });
  });

  it('counts a share of the workforce rounded up, without floating-point noise', () => {
    expect(targetCount({ count: 600 })).toBe(600);
    expect(targetCount({ share: 0.5, workforce: 16_270 })).toBe(8_135);
    expect(targetCount({ share: 0.1, workforce: 30 })).toBe(3);
    expect(targetCount({ share: 0.5, workforce: 3 })).toBe(2);
    expect(targetCount({ share: 1, workforce: 10_000_000 })).toBe(10_000_000);
  });
});
