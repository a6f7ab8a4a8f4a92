import fc from 'fast-check';
import { generateNoteKey, verifierKeyOf } from '../note/note-key.codec';
import { formatCheckpoint, openCheckpoint, parseCheckpoint, signCheckpoint } from './checkpoint.codec';
import { errorCodeOf } from '../testing/error-code';

/** The body of the example in https://c2sp.org/tlog-checkpoint. */
const SPEC_BODY = 'example.com/behind-the-sofa\n20852163\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n';
const ROOT = Buffer.from('CsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=', 'base64');
const LOG_KEY = generateNoteKey('ledger.example.gob.mx/log');

describe('checkpoints', () => {
  it("read the spec's example and write it back byte for byte", () => {
    const checkpoint = parseCheckpoint(SPEC_BODY);
    expect(checkpoint).toEqual({ origin: 'example.com/behind-the-sofa', treeSize: 20_852_163, rootHash: ROOT, extensionLines: [] });
    expect(formatCheckpoint(checkpoint)).toBe(SPEC_BODY);
  });

  it('read back whatever they write, extension lines included', () => {
    const line = fc.stringMatching(/^[!-~]{1,20}$/);
    fc.assert(
      fc.property(fc.maxSafeNat(), fc.uint8Array({ minLength: 32, maxLength: 32 }), fc.array(line, { maxLength: 3 }), (treeSize, root, extensionLines) => {
        const checkpoint = { origin: 'ledger.example.gob.mx/log', treeSize, rootHash: Buffer.from(root), extensionLines };
        expect(parseCheckpoint(formatCheckpoint(checkpoint))).toEqual(checkpoint);
      }),
    );
  });

  it.each([
    ['a size with a leading zero', 'o\n020852163\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n'],
    ['the size 00', 'o\n00\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n'],
    ['a signed size', 'o\n+5\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n'],
    ['a size of 2^53', 'o\n9007199254740992\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n'],
    ['a size in hex', 'o\n0x10\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n'],
    ['a root of 31 bytes', `o\n5\n${Buffer.alloc(31).toString('base64')}\n`],
    ['a root of 33 bytes', `o\n5\n${Buffer.alloc(33).toString('base64')}\n`],
    ['a root without padding', 'o\n5\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I\n'],
    ['a root with spare bits set', 'o\n5\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2J=\n'],
    ['two lines', 'o\n5\n'],
    ['an empty origin', '\n5\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n'],
    ['an empty extension line', 'o\n5\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n\n'],
    ['no final newline', 'o\n5\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I='],
    ['a carriage return', 'o\r\n5\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n'],
  ])('refuse %s', (_why, text) => {
    expect(errorCodeOf(() => parseCheckpoint(text))).toBe('MALFORMED_CHECKPOINT');
  });

  it('accept any non-empty origin a foreign log uses, but write only origins that are key names', () => {
    expect(parseCheckpoint(`a log with spaces+plus\n0\n${ROOT.toString('base64')}\n`).origin).toBe('a log with spaces+plus');
    expect(errorCodeOf(() => formatCheckpoint({ origin: 'a log', treeSize: 0, rootHash: ROOT, extensionLines: [] }))).toBe('MALFORMED_CHECKPOINT');
    expect(errorCodeOf(() => formatCheckpoint({ origin: 'log', treeSize: 2 ** 53, rootHash: ROOT, extensionLines: [] }))).toBe('INVALID_TREE_SIZE');
  });

  it('open only when signed by a trusted key and from the expected origin', () => {
    const checkpoint = { origin: LOG_KEY.name, treeSize: 42, rootHash: ROOT, extensionLines: [] };
    const signed = signCheckpoint(checkpoint, [LOG_KEY]);
    expect(signed).toMatch(/^ledger\.example\.gob\.mx\/log\n42\nCsUYapGGPo4dkMgIAUqom\/Xajj7h2fB2MPA3j2jxq2I=\n\n\u2014 ledger\.example\.gob\.mx\/log [A-Za-z0-9+/]{91}=\n$/);
    const verifiers = [verifierKeyOf(LOG_KEY)];
    expect(openCheckpoint(signed, { origin: LOG_KEY.name, verifiers }).checkpoint).toEqual(checkpoint);
    expect(errorCodeOf(() => openCheckpoint(signed, { origin: 'another.example/log', verifiers }))).toBe('ORIGIN_MISMATCH');
    expect(errorCodeOf(() => openCheckpoint(signed, { origin: LOG_KEY.name, verifiers: [verifierKeyOf(generateNoteKey(LOG_KEY.name))] }))).toBe('UNVERIFIED_NOTE');
    expect(errorCodeOf(() => openCheckpoint(signed.replace('\n42\n', '\n43\n'), { origin: LOG_KEY.name, verifiers }))).toBe('INVALID_SIGNATURE');
  });
});
