import { makeCurpPerson } from '@ledger/domain/testing';
import { scrubCurps } from './curp-scrubber';

describe('scrubCurps', () => {
  it('masks anything shaped like a CURP, in any case, and leaves the rest', () => {
    const { curp } = makeCurpPerson(7);
    const line = `{"msg":"failed for ${curp} and ${curp.toLowerCase()}","subjectId":"ab12"}`;
    expect(scrubCurps(line)).toBe('{"msg":"failed for [CURP] and [CURP]","subjectId":"ab12"}');
  });
});
