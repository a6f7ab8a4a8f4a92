import { foldInMemory, recorded, tableWrites } from '../testing/recorded';
import { auditProjection } from './audit.projection';

describe('audit projection', () => {
  it('writes one row per event with its envelope, and the person it is about', () => {
    const events = [
      recorded(1, 'person-s1', 'PersonRegistered', { subjectId: 's1', curp: 'GODE561231HDFRRN09', fullName: 'Ernesto Godínez', registeredAt: '2018-10-01T15:00:00.000Z' }),
      recorded(2, 'certification-p1', 'CandidateEnrolled', { processId: 'p1', subjectId: 's1', standardCode: 'EC0105' }),
      recorded(3, 'certification-p1', 'TrainingRecorded', { processId: 'p1', trainerId: 't1', hours: 8, completedAt: '2018-10-02T00:00:00.000Z' }),
      recorded(4, 'standard-EC0105', 'StandardRetired', { code: 'EC0105', reason: 'x', retiredAt: '2019-01-01T00:00:00.000Z' }),
    ];
    const rows = tableWrites(foldInMemory(auditProjection, events), 'audit_events').appends;
    expect(rows.map((row) => [row.position, row.type, row.subject_id])).toEqual([
      ['1', 'PersonRegistered', 's1'],
      ['2', 'CandidateEnrolled', 's1'],
      ['3', 'TrainingRecorded', 's1'],
      ['4', 'StandardRetired', null],
    ]);
    expect(rows[0]).toMatchObject({ actor_id: 'user-1', actor_role: 'registrar', actor_org: 'CE-1', command_id: 'c-1', recorded_at: '2018-11-13T10:01:00.000Z' });
  });

  it('never copies personal data into the details', () => {
    const registered = recorded(1, 'person-s1', 'PersonRegistered', { subjectId: 's1', curp: 'GODE561231HDFRRN09', fullName: 'Ernesto Godínez', registeredAt: '2018-10-01T15:00:00.000Z' });
    const rectified = recorded(2, 'person-s1', 'PersonalDataRectified', { subjectId: 's1', fullName: 'Ernesto Godínez Ruiz', rectifiedAt: '2019-10-01T15:00:00.000Z' });
    const unknown = recorded(3, 'person-s1', 'SomethingNew', { subjectId: 's1', curp: 'GODE561231HDFRRN09' });
    const rows = tableWrites(foldInMemory(auditProjection, [registered, rectified, unknown]), 'audit_events').appends;
    expect(JSON.stringify(rows)).not.toMatch(/GODE561231|Godínez/);
  });
});
