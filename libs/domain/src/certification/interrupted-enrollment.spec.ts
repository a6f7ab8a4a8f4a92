import { INTERRUPTED_ENROLLMENT_AFTER_MS, processForEnrollment, type ListedProcess } from './interrupted-enrollment';

const NOW = '2026-12-03T12:00:00.000Z';
const before = (ms: number) => new Date(Date.parse(NOW) - ms).toISOString();
const OWN = 'process-own';

/** given the processes the person stream lists, when an enrollment decides where to write, then … */
function whenEnrolling(listed: readonly ListedProcess[], now = NOW): string {
  return processForEnrollment(OWN, listed, now);
}

describe('the interrupted-enrollment recovery', () => {
  it('given no process listed, then an enrollment writes to its own', () => {
    expect(whenEnrolling([])).toBe(OWN);
  });

  it('given its own process listed (a retry after a crash between the two appends), then it completes its own, whatever else is waiting', () => {
    expect(whenEnrolling([{ processId: 'abandoned', started: false, openedAt: before(3_600_000) }, { processId: OWN, started: false, openedAt: before(1_000) }])).toBe(OWN);
  });

  it('given a process opened longer ago than the bound whose certification stream is empty, then a new enrollment takes it over', () => {
    expect(whenEnrolling([{ processId: 'abandoned', started: false, openedAt: before(INTERRUPTED_ENROLLMENT_AFTER_MS + 1) }])).toBe('abandoned');
  });

  it('given one opened within the bound (presumed in flight), then a new enrollment leaves it to its writer', () => {
    expect(whenEnrolling([{ processId: 'in-flight', started: false, openedAt: before(INTERRUPTED_ENROLLMENT_AFTER_MS - 1) }])).toBe(OWN);
    expect(whenEnrolling([{ processId: 'in-flight', started: false, openedAt: before(INTERRUPTED_ENROLLMENT_AFTER_MS) }])).toBe(OWN);
  });

  it('given an old process that did start, or one the person stream records no opening of, then it is not taken over', () => {
    expect(whenEnrolling([{ processId: 'running', started: true, openedAt: before(86_400_000) }])).toBe(OWN);
    expect(whenEnrolling([{ processId: 'unknown', started: false }])).toBe(OWN);
  });

  it('given the same listing, then the answer depends only on the clock passed in', () => {
    const listed = [{ processId: 'abandoned', started: false, openedAt: '2026-12-03T11:59:40.000Z' }];
    expect(whenEnrolling(listed, '2026-12-03T12:00:00.000Z')).toBe(OWN);
    expect(whenEnrolling(listed, '2026-12-03T12:00:20.000Z')).toBe('abandoned');
  });
});
