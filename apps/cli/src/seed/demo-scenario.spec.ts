import { addBusinessDays } from './demo-scenario';

describe('the demo’s calendar', () => {
  it('counts business days, skipping weekends', () => {
    expect(addBusinessDays('2018-09-03', 0)).toBe('2018-09-03');
    // Monday 3 September 2018 + 4 is Friday the 7th, + 5 the next Monday.
    expect(addBusinessDays('2018-09-03', 4)).toBe('2018-09-07');
    expect(addBusinessDays('2018-09-03', 5)).toBe('2018-09-10');
    // 42 business days of judgments from 3 September end before the ceremony of 13 November.
    expect(addBusinessDays('2018-09-03', 41) < '2018-11-13').toBe(true);
  });
});
