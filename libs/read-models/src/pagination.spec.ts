import { decodeCursor, encodeCursor, MAX_POSITION, parsePosition } from './pagination';

describe('positions and cursors as clients send them', () => {
  it.each(['0', '7', '1042', MAX_POSITION.toString()])('reads the position %s', (text) => {
    expect(parsePosition(text)).toBe(BigInt(text));
  });

  it.each([
    ['past bigint', '9223372036854775808'],
    ['twenty digits', '99999999999999999999'],
    ['a sign', '+5'],
    ['negative', '-1'],
    ['a space', ' 5'],
    ['an exponent', '1e2'],
    ['hex', '0x10'],
    ['a leading zero', '05'],
    ['a fraction', '5.0'],
    ['empty', ''],
  ])('refuses a position with %s', (_, text) => {
    expect(parsePosition(text)).toBeNull();
  });

  it('refuses what is not text', () => {
    expect(parsePosition(5)).toBeNull();
    expect(parsePosition(['5'])).toBeNull();
    expect(parsePosition(undefined)).toBeNull();
  });

  it('decodes its own cursors and nothing past bigint', () => {
    expect(decodeCursor(encodeCursor('41'))).toBe('41');
    expect(decodeCursor(encodeCursor(MAX_POSITION.toString()))).toBe(MAX_POSITION.toString());
    for (const after of ['99999999999999999999', '9223372036854775808', '-1', '007']) {
      expect(() => decodeCursor(encodeCursor(after))).toThrow(expect.objectContaining({ code: 'INVALID_CURSOR', details: { field: 'cursor' } }));
    }
    for (const junk of ['%00', 'bnVsbA', Buffer.from('{"after":5}').toString('base64url')]) {
      expect(() => decodeCursor(junk)).toThrow(expect.objectContaining({ code: 'INVALID_CURSOR' }));
    }
  });

  it('refuses a cursor of its own with anything added, which base64 decoding would skip', () => {
    const cursor = encodeCursor('41');
    const altered = [`${cursor}\n`, `${cursor}\u0000`, `${cursor.slice(0, 4)}!${cursor.slice(4)}`, ` ${cursor}`, `${cursor}==`, Buffer.from('{"after":"41","x":1}').toString('base64url')];
    for (const text of altered) {
      expect(() => decodeCursor(text)).toThrow(expect.objectContaining({ code: 'INVALID_CURSOR', details: { field: 'cursor' } }));
    }
  });
});
