import fc from 'fast-check';
import { decodeBase64Strict, encodeBase64 } from './strict-base64.codec';

describe('strict base64', () => {
  it('reads back whatever it writes', () => {
    fc.assert(fc.property(fc.uint8Array({ maxLength: 100 }), (bytes) => expect(decodeBase64Strict(encodeBase64(bytes))).toEqual(Buffer.from(bytes))));
  });

  it.each(['Zm9v\n', 'Zm9v!', ' Zm9v', 'Zm9', 'Zm8', 'Zm9=', 'Zm8=x', 'Zh==', 'Zm9v====', 'Zm9v-_==', 'Zm==Zm9v'])('refuses %j', (text) => {
    expect(decodeBase64Strict(text)).toBeUndefined();
  });

  it('reads the empty string as no bytes', () => {
    expect(decodeBase64Strict('')).toEqual(Buffer.alloc(0));
  });
});
