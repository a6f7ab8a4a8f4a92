import {
  formatKeyId,
  formatSignerKey,
  formatVerifierKey,
  generateNoteKey,
  isValidKeyName,
  noteKeyFromSeed,
  noteKeyId,
  parseSignerKey,
  parseVerifierKey,
  verifierKeyOf,
} from './note-key.codec';
import { errorCodeOf } from '../testing/error-code';

// The keys of Go's golang.org/x/mod/sumdb/note tests and of the C2SP signed-note spec.
const PETER_SIGNER = 'PRIVATE+KEY+PeterNeumann+c74f20a3+AYEKFALVFGyNhPJEMzD1QIDr+Y7hfZx09iUvxdXHKDFz';
const PETER_VERIFIER = 'PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW';
const SPEC_VERIFIER = 'example.com/foo+530d903a+AekyeRrm56hApGFkyQR4ZCbV54Id2LKaANYcrnKv3U2k';

describe('signed-note keys', () => {
  it("compute the spec's key id: SHA-256(name ‖ 0x0A ‖ 0x01 ‖ public key)[0:4]", () => {
    const key = parseVerifierKey(SPEC_VERIFIER);
    expect(key.name).toBe('example.com/foo');
    expect(formatKeyId(noteKeyId(key.name, key.publicKey))).toBe('530d903a');
    expect(formatVerifierKey(key)).toBe(SPEC_VERIFIER);
  });

  it("read Go's signer key, derive its verifier key, and write both back byte for byte", () => {
    const signer = parseSignerKey(PETER_SIGNER);
    expect(signer.keyId).toBe(0xc74f20a3);
    expect(formatVerifierKey(verifierKeyOf(signer))).toBe(PETER_VERIFIER);
    expect(formatSignerKey(signer)).toBe(PETER_SIGNER);
  });

  it('make new keys whose texts read back to themselves', () => {
    const signer = generateNoteKey('ledger.example.gob.mx/log');
    expect(parseSignerKey(formatSignerKey(signer))).toEqual(signer);
    expect(parseVerifierKey(formatVerifierKey(signer))).toEqual(verifierKeyOf(signer));
    expect(noteKeyFromSeed(signer.name, signer.seed)).toEqual(signer);
  });

  it('refuse every truncation and every one-character change of a verifier key (as Go tests)', () => {
    const accepted: string[] = [];
    for (let start = 0; start < PETER_VERIFIER.length; start += 1) {
      for (let end = start + 1; end <= PETER_VERIFIER.length; end += 1) {
        const piece = PETER_VERIFIER.slice(start, end);
        if (piece !== PETER_VERIFIER && errorCodeOf(() => parseVerifierKey(piece)) === undefined) accepted.push(piece);
      }
    }
    for (let position = 0; position < PETER_VERIFIER.length; position += 1) {
      const changed = PETER_VERIFIER.slice(0, position) + String.fromCharCode(PETER_VERIFIER.charCodeAt(position) + 1) + PETER_VERIFIER.slice(position + 1);
      if (errorCodeOf(() => parseVerifierKey(changed)) === undefined) accepted.push(changed);
    }
    expect(accepted).toEqual([]);
  });

  it('refuse every truncation and every one-character change of a signer key', () => {
    const accepted: string[] = [];
    for (let start = 0; start < PETER_SIGNER.length; start += 1) {
      for (let end = start + 1; end <= PETER_SIGNER.length; end += 1) {
        const piece = PETER_SIGNER.slice(start, end);
        if (piece !== PETER_SIGNER && errorCodeOf(() => parseSignerKey(piece)) === undefined) accepted.push(piece);
      }
    }
    for (let position = 0; position < PETER_SIGNER.length; position += 1) {
      const changed = PETER_SIGNER.slice(0, position) + String.fromCharCode(PETER_SIGNER.charCodeAt(position) + 1) + PETER_SIGNER.slice(position + 1);
      if (errorCodeOf(() => parseSignerKey(changed)) === undefined) accepted.push(changed);
    }
    expect(accepted).toEqual([]);
  });

  it('say why a key is refused', () => {
    expect(errorCodeOf(() => parseVerifierKey('PeterNeumann+c74f20a4+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW'))).toBe('KEY_ID_MISMATCH');
    expect(errorCodeOf(() => parseVerifierKey('PeterNeumann+C74F20A3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW'))).toBe('MALFORMED_KEY');
    // Go's own cases: an unknown algorithm, and a key of the wrong length, each with its id adjusted.
    expect(errorCodeOf(() => parseVerifierKey('PeterNeumann+173116ae+ZRpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW'))).toBe('UNSUPPORTED_KEY_TYPE');
    expect(errorCodeOf(() => parseVerifierKey('PeterNeumann+cc469956+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TWBADKEY=='))).toBe('MALFORMED_KEY');
    expect(errorCodeOf(() => noteKeyFromSeed('has space', Buffer.alloc(32)))).toBe('INVALID_KEY_NAME');
  });

  it.each(['', 'a b', 'a+b', 'tab\there', 'nbsp\u00a0', 'ideographic\u3000space', 'next\u0085line', 'nul\u0000', 'lone\ud800'])('refuse the key name %j', (name) => {
    expect(isValidKeyName(name)).toBe(false);
  });

  it.each(['example.com/log', 'ledger.example.gob.mx/certificaciones', 'zero\u200bwidth', 'é'])('accept the key name %j', (name) => {
    expect(isValidKeyName(name)).toBe(true);
  });
});
