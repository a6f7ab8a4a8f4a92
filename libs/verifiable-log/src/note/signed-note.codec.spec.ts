import { formatVerifierKey, generateNoteKey, parseSignerKey, parseVerifierKey, verifierKeyOf } from './note-key.codec';
import { MAX_NOTE_SIGNATURES, openNote, parseSignedNote, signNote } from './signed-note.codec';
import { errorCodeOf } from '../testing/error-code';

/** The example of https://c2sp.org/signed-note ("Verifier keys", Example), byte for byte. */
const SPEC_VERIFIER = 'example.com/foo+530d903a+AekyeRrm56hApGFkyQR4ZCbV54Id2LKaANYcrnKv3U2k';
const SPEC_NOTE =
  'This is an example message.\n' + '\n' + '\u2014 example.com/foo Uw2QOkn8srV1yJGh2VYRlL1Tnagv1YEq6TfXppzi2ONncAlTgK7Ztg1ERYNZXsYjOBH3mFXmRKuwHjG1Yu72IneyaQM=\n';

/** The keys and notes of Go's golang.org/x/mod/sumdb/note tests. */
const PETER_SIGNER = 'PRIVATE+KEY+PeterNeumann+c74f20a3+AYEKFALVFGyNhPJEMzD1QIDr+Y7hfZx09iUvxdXHKDFz';
const PETER = parseVerifierKey('PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW');
const ENOCH = parseVerifierKey('EnochRoot+af0cfe78+ATtqJ7zOtqQtYqOo0CpvDXNlMhV3HeJDpjrASKGLWdop');
const TEXT = "If you think cryptography is the answer to your problem,\nthen you don't know what your problem is.\n";
const PETER_LINE = '\u2014 PeterNeumann x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM=\n';
const ENOCH_LINE = '\u2014 EnochRoot rwz+eBzmZa0SO3NbfRGzPCpDckykFXSdeX+MNtCOXm2/5n2tiOHp+vAF1aGrQ5ovTG01oOTGwnWLox33WWd1RvMc+QQ=\n';

describe('the examples of the spec and of Go', () => {
  it("verifies the C2SP signed-note spec's example note with its verifier key, as bytes and as text", () => {
    const key = parseVerifierKey(SPEC_VERIFIER);
    for (const note of [SPEC_NOTE, Buffer.from(SPEC_NOTE, 'utf8')]) {
      const opened = openNote(note, [key]);
      expect(opened.text).toBe('This is an example message.\n');
      expect(opened.verifiedSignatures).toEqual([{ name: 'example.com/foo', keyId: 0x530d903a, signature: expect.any(Buffer) }]);
      expect(opened.unknownSignatures).toEqual([]);
    }
  });

  it("signs Go's example text into Go's example note, byte for byte (Ed25519 is deterministic)", () => {
    expect(signNote(TEXT, [parseSignerKey(PETER_SIGNER)])).toBe(`${TEXT}\n${PETER_LINE}`);
  });

  it('checks the signatures of known keys and keeps the others unchecked', () => {
    const note = `${TEXT}\n${PETER_LINE}${ENOCH_LINE}`;
    const byPeter = openNote(note, [PETER]);
    expect(byPeter.text).toBe(TEXT);
    expect(byPeter.verifiedSignatures.map((signature) => signature.name)).toEqual(['PeterNeumann']);
    expect(byPeter.unknownSignatures.map((signature) => signature.name)).toEqual(['EnochRoot']);
    expect(openNote(note, [PETER, ENOCH]).verifiedSignatures.map((signature) => signature.name)).toEqual(['PeterNeumann', 'EnochRoot']);
  });
});

describe('opening a note', () => {
  it('refuses a note no known key signed, naming who did', () => {
    expect(() => openNote(`${TEXT}\n${PETER_LINE}${ENOCH_LINE}`, [])).toThrow(
      expect.objectContaining({ code: 'UNVERIFIED_NOTE', details: { signers: ['PeterNeumann+c74f20a3', 'EnochRoot+af0cfe78'] } }),
    );
  });

  it('refuses a note with a bad signature by a known key, even after a good one', () => {
    const forged = `${PETER_LINE.slice(0, 60)}ABCD${PETER_LINE.slice(60)}`;
    expect(errorCodeOf(() => openNote(`${TEXT}\n${forged}`, [PETER]))).toBe('INVALID_SIGNATURE');
    expect(errorCodeOf(() => openNote(`${TEXT}\n${PETER_LINE}${forged}`, [PETER]))).toBe('INVALID_SIGNATURE');
    expect(errorCodeOf(() => openNote(`${TEXT.replace('answer', 'Answer')}\n${PETER_LINE}`, [PETER]))).toBe('INVALID_SIGNATURE');
  });

  it('ignores a signature that shares only the name, or only the key id, with a known key', () => {
    const sameNameOtherKey = generateNoteKey('PeterNeumann');
    const note = signNote(TEXT, [sameNameOtherKey]);
    expect(errorCodeOf(() => openNote(note, [PETER]))).toBe('UNVERIFIED_NOTE');
    const sameIdOtherName = PETER_LINE.replace('PeterNeumann', 'CarmenSandiego');
    expect(openNote(`${TEXT}\n${sameIdOtherName}${PETER_LINE}`, [PETER]).unknownSignatures).toHaveLength(1);
  });

  it('counts identical signature lines once', () => {
    const opened = openNote(`${TEXT}\n${PETER_LINE}${PETER_LINE}${ENOCH_LINE}${ENOCH_LINE}`, [PETER]);
    expect(opened.verifiedSignatures).toHaveLength(1);
    expect(opened.unknownSignatures).toHaveLength(1);
  });

  it(`accepts ${MAX_NOTE_SIGNATURES} signatures and refuses one more`, () => {
    expect(openNote(`${TEXT}\n${PETER_LINE.repeat(MAX_NOTE_SIGNATURES)}`, [PETER]).verifiedSignatures).toHaveLength(1);
    expect(errorCodeOf(() => openNote(`${TEXT}\n${PETER_LINE.repeat(MAX_NOTE_SIGNATURES + 1)}`, [PETER]))).toBe('TOO_MANY_SIGNATURES');
  });

  it('refuses two verifier keys with the same name and id', () => {
    expect(errorCodeOf(() => openNote(`${TEXT}\n${PETER_LINE}`, [PETER, ENOCH, PETER]))).toBe('AMBIGUOUS_VERIFIER');
  });

  it.each([
    ['no blank line', TEXT],
    ['nothing after the blank line', `${TEXT}\n`],
    ['no final newline', `${TEXT}\n${PETER_LINE.slice(0, -1)}`],
    ['a control character', `\u0001${TEXT}\n${PETER_LINE}`],
    ['a carriage return', `${TEXT.replace('\n', '\r\n')}\n${PETER_LINE}`],
    ['a space in the key name', `${TEXT}\n\u2014 Bad Name x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM=\n`],
    ['a line that is not a signature', `${TEXT}\n${PETER_LINE}Unexpected line.\n`],
    ['a hyphen instead of the em dash', `${TEXT}\n${PETER_LINE.replace('\u2014', '-')}`],
    ['base64 with a newline inside', `${TEXT}\n${PETER_LINE.replace('x08go/', 'x08g\no/')}`],
    ['base64 without its padding', `${TEXT}\n${PETER_LINE.replace('=\n', '\n')}`],
    ['a signature of four bytes (a key id only)', `${TEXT}\n\u2014 PeterNeumann x08gow==\n`],
    ['a lone surrogate', `\ud800${TEXT}\n${PETER_LINE}`],
  ])('refuses a note with %s as MALFORMED_NOTE', (_why, note) => {
    expect(errorCodeOf(() => openNote(note, [PETER]))).toBe('MALFORMED_NOTE');
  });

  it('refuses bytes that are not UTF-8', () => {
    const bytes = Buffer.concat([Buffer.from([0xff]), Buffer.from(`${TEXT}\n${PETER_LINE}`)]);
    expect(errorCodeOf(() => openNote(bytes, [PETER]))).toBe('MALFORMED_NOTE');
  });

  it('separates text and signatures at the last blank line, so a text may hold blank lines', () => {
    const key = generateNoteKey('ledger.example/log');
    const text = 'first paragraph\n\nsecond paragraph\n\n';
    const note = signNote(text, [key]);
    expect(openNote(note, [verifierKeyOf(key)]).text).toBe(text);
    expect(parseSignedNote(note).signatures).toHaveLength(1);
  });
});

describe('signing a note', () => {
  it('refuses a text without its final newline, with control characters, or with no signer', () => {
    const key = generateNoteKey('ledger.example/log');
    expect(errorCodeOf(() => signNote('no newline', [key]))).toBe('MALFORMED_NOTE');
    expect(errorCodeOf(() => signNote('tab\there\n', [key]))).toBe('MALFORMED_NOTE');
    expect(errorCodeOf(() => signNote('text\n', []))).toBe('MALFORMED_KEY');
    expect(errorCodeOf(() => signNote('text\n', [{ ...key, keyId: key.keyId ^ 1 }]))).toBe('KEY_ID_MISMATCH');
  });

  it('signs with several keys, each verifiable alone', () => {
    const log = generateNoteKey('ledger.example/log');
    const witness = generateNoteKey('witness.example');
    const note = signNote('text\n', [log, witness]);
    expect(openNote(note, [verifierKeyOf(witness)]).unknownSignatures.map((signature) => signature.name)).toEqual(['ledger.example/log']);
    expect(formatVerifierKey(verifierKeyOf(log))).toMatch(/^ledger\.example\/log\+[0-9a-f]{8}\+[A-Za-z0-9+/]{44}$/);
  });
});
