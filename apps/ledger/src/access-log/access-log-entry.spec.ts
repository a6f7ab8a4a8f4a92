import { assertRoutePattern, containsCurpShape, distinctSubjectIds, pseudonymiseCurps, routePatternOf } from './access-log-entry';
import { parseUnwrittenEntries } from './unwritten-entries';

const SUBJECT = 'a'.repeat(64);
const CURP = 'GODE561231HDFRRN09';

describe('access log entries', () => {
  it('records route patterns as API.md writes them, and refuses raw paths', () => {
    expect(routePatternOf('/v1/audit/certificates/:folio/provenance')).toBe('/v1/audit/certificates/{folio}/provenance');
    for (const route of ['/v1/certificates', '/v1/certificates/{folio}', '/v1/people/{subjectId}/personal-data', '/v1/people/lookup']) {
      expect(() => assertRoutePattern(route)).not.toThrow();
    }
    for (const raw of ['/v1/certificates/ABCD-EFGH-JKMN-P', `/v1/people/${SUBJECT}/timeline`, '/v1/certificates?limit=5', 'certificates', '/v1/enrollments/0b7d4c61-9a55']) {
      expect(() => assertRoutePattern(raw)).toThrow(/route patterns/);
    }
  });

  it('keeps subjectIds only, distinct and in order; a CURP or a name is a programmer error', () => {
    const other = 'b'.repeat(64);
    expect(distinctSubjectIds([SUBJECT, other, SUBJECT])).toEqual([SUBJECT, other]);
    expect(() => distinctSubjectIds([CURP])).toThrow(/subjectIds only/);
    expect(() => distinctSubjectIds(['Ernesto Godínez'])).toThrow(/subjectIds only/);
  });

  it('checks a frozen list (a kept page’s holders) once, and keeps refusing one that holds anything but subjectIds', () => {
    const other = 'b'.repeat(64);
    const holders = Object.freeze([SUBJECT, other, SUBJECT]);
    const distinct = distinctSubjectIds(holders);
    expect(distinct).toEqual([SUBJECT, other]);
    expect(Object.isFrozen(distinct)).toBe(true);
    expect(distinctSubjectIds(holders)).toBe(distinct);
    // A list that may still change is checked every time, and its answer is the caller's to change.
    const open = [SUBJECT];
    expect(distinctSubjectIds(open)).not.toBe(distinctSubjectIds(open));
    expect(Object.isFrozen(distinctSubjectIds(open))).toBe(false);
    const bad = Object.freeze([SUBJECT, CURP]);
    expect(() => distinctSubjectIds(bad)).toThrow(/subjectIds only/);
    expect(() => distinctSubjectIds(bad)).toThrow(/subjectIds only/);
  });

  it('replaces CURP-shaped runs in caller-chosen text with subject-<keyed hash>, the same for the same CURP', () => {
    const once = pseudonymiseCurps(`llave:${CURP.toLowerCase()}`, 'key');
    expect(once).toMatch(/^llave:subject-[0-9a-f]{64}$/);
    expect(pseudonymiseCurps(`llave:${CURP}`, 'key')).toBe(once);
    expect(containsCurpShape(once)).toBe(false);
    expect(pseudonymiseCurps('auditor-1', 'key')).toBe('auditor-1');
    expect(containsCurpShape(`x${CURP}`)).toBe(true);
  });

  it('reads back the entries a shutdown kept, and refuses a line that is not one', () => {
    const entry = {
      readAt: '2026-12-01T10:00:00.000Z', actorId: 'auditor-1', actorRole: 'comptroller', actorOrganizationId: 'SECOGEF',
      actorJurisdiction: null, route: '/v1/certificates', correlationId: 'c-1', subjectIds: [SUBJECT],
    };
    expect(parseUnwrittenEntries(`${JSON.stringify(entry)}\n\n${JSON.stringify(entry)}\n`)).toEqual([entry, entry]);
    expect(() => parseUnwrittenEntries(JSON.stringify({ ...entry, subjectIds: [CURP] }))).toThrow(/Line 1/);
    expect(() => parseUnwrittenEntries(JSON.stringify({ ...entry, route: '/v1/certificates/ABCD-1' }))).toThrow(/Line 1/);
  });
});
