import { folioBytesOf, subjectIdOf } from './ledger-keys';

describe('subjectIdOf', () => {
  it('is a deterministic, keyed, opaque hex digest', () => {
    const curp = 'GODE561231HDFRRN04';
    expect(subjectIdOf('key-a', curp)).toBe(subjectIdOf('key-a', curp));
    expect(subjectIdOf('key-a', curp)).not.toBe(subjectIdOf('key-b', curp));
    expect(subjectIdOf('key-a', curp)).toMatch(/^[0-9a-f]{64}$/);
    expect(subjectIdOf('key-a', curp)).not.toContain(curp.toLowerCase().slice(0, 4));
  });
});

describe('folioBytesOf', () => {
  it('gives the same bytes for the same process and attempt, others for the next attempt', () => {
    expect(folioBytesOf('k', 'p-1', 0).equals(folioBytesOf('k', 'p-1', 0))).toBe(true);
    expect(folioBytesOf('k', 'p-1', 0).equals(folioBytesOf('k', 'p-1', 1))).toBe(false);
    expect(folioBytesOf('k', 'p-1', 0).equals(folioBytesOf('other', 'p-1', 0))).toBe(false);
    expect(folioBytesOf('k', 'p-1', 0)).toHaveLength(32);
    expect(() => folioBytesOf('k', 'p-1', -1)).toThrow(RangeError);
  });
});
