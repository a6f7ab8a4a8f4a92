import { decodeBase58btc, decodeMultibaseBase58btc, encodeBase58btc, encodeMultibaseBase58btc } from './base58btc.codec';

// The examples of the IETF base58 draft (draft-msporny-base58).
describe('base58btc', () => {
  it('encodes as Bitcoin does: leading zero bytes as 1s, the rest as a base-58 number', () => {
    expect(encodeBase58btc(Buffer.from('Hello World!'))).toBe('2NEpo7TZRRrLZSi2U');
    expect(encodeBase58btc(Buffer.from([0, 0, 0x28, 0x7f, 0xb4, 0xcd]))).toBe('11233QC4');
    expect(encodeBase58btc(Buffer.alloc(0))).toBe('');
    expect(encodeBase58btc(Buffer.from([0]))).toBe('1');
  });

  it('reads back every encoding, and nothing outside the alphabet', () => {
    for (const length of [0, 1, 2, 31, 32, 34, 64]) {
      for (const fill of [0x00, 0x01, 0x7f, 0xff]) {
        const bytes = Buffer.alloc(length, fill);
        expect(decodeBase58btc(encodeBase58btc(bytes))).toEqual(bytes);
      }
    }
    expect(decodeMultibaseBase58btc(encodeMultibaseBase58btc(Buffer.from('ledger')))).toEqual(Buffer.from('ledger'));
    for (const junk of ['0', 'O', 'I', 'l', '+', ' 2', '2NEpo7TZRRrLZSi2U\n']) expect(decodeBase58btc(junk)).toBeUndefined();
    expect(decodeMultibaseBase58btc('2NEpo7TZRRrLZSi2U')).toBeUndefined();
    expect(decodeBase58btc('2'.repeat(10_000))).toBeUndefined();
  });
});
