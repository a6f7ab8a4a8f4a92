import fc from 'fast-check';
import { testLeafHashes } from '../testing/naive-merkle-tree';
import { inclusionProofOfLeafHashes, rootOfLeafHashes } from '../merkle/leaf-hashes.prover';
import { generateNoteKey, verifierKeyOf } from '../note/note-key.codec';
import { signCheckpoint } from './checkpoint.codec';
import { formatTlogProof, parseTlogProof, TlogProof, verifyTlogProof } from './tlog-proof.codec';
import { errorCodeOf } from '../testing/error-code';

const LOG_KEY = generateNoteKey('ledger.example.gob.mx/log');
const WITNESS_KEY = generateNoteKey('witness.example');
const TREE_SIZE = 1000;
const LEAVES = testLeafHashes(TREE_SIZE);
const SIGNED_CHECKPOINT = signCheckpoint({ origin: LOG_KEY.name, treeSize: TREE_SIZE, rootHash: rootOfLeafHashes(LEAVES), extensionLines: [] }, [LOG_KEY, WITNESS_KEY]);
const EXPECTED = { origin: LOG_KEY.name, verifiers: [verifierKeyOf(LOG_KEY)] };

function proofOf(leafIndex: number, extra?: Buffer): TlogProof {
  return { ...(extra === undefined ? {} : { extra }), leafIndex, inclusionProof: inclusionProofOfLeafHashes(LEAVES, leafIndex), signedCheckpoint: SIGNED_CHECKPOINT };
}

describe('c2sp.org/tlog-proof@v1', () => {
  it('is laid out as the spec shows: header, extra, index, hashes, blank line, checkpoint', () => {
    const text = formatTlogProof(proofOf(737, Buffer.from('folio MX-2026-0001')));
    const lines = text.split('\n');
    expect(lines[0]).toBe('c2sp.org/tlog-proof@v1');
    expect(lines[1]).toBe(`extra ${Buffer.from('folio MX-2026-0001').toString('base64')}`);
    expect(lines[2]).toBe('index 737');
    expect(lines.slice(3, 13).every((line) => /^[A-Za-z0-9+/]{43}=$/.test(line))).toBe(true);
    expect(lines[13]).toBe('');
    expect(text.endsWith(`\n\n${SIGNED_CHECKPOINT}`)).toBe(true);
  });

  it('reads back what it writes, and verifies for the entry it proves', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: TREE_SIZE - 1 }), fc.option(fc.uint8Array({ maxLength: 40 }), { nil: undefined }), (leafIndex, extra) => {
        const proof = proofOf(leafIndex, extra === undefined ? undefined : Buffer.from(extra));
        const text = formatTlogProof(proof);
        expect(parseTlogProof(text)).toEqual(proof);
        const verified = verifyTlogProof(text, { ...EXPECTED, leafHash: LEAVES[leafIndex] });
        expect(verified.checkpoint.treeSize).toBe(TREE_SIZE);
        expect(verified.note.unknownSignatures.map((signature) => signature.name)).toEqual(['witness.example']);
      }),
      { numRuns: 30 },
    );
  });

  it('does not verify for another entry, another origin, or another key', () => {
    const text = formatTlogProof(proofOf(5));
    expect(errorCodeOf(() => verifyTlogProof(text, { ...EXPECTED, leafHash: LEAVES[6] }))).toBe('INCLUSION_NOT_PROVEN');
    expect(errorCodeOf(() => verifyTlogProof(text, { ...EXPECTED, origin: 'another.example/log', leafHash: LEAVES[5] }))).toBe('ORIGIN_MISMATCH');
    const sameNameOtherKey = verifierKeyOf(generateNoteKey(LOG_KEY.name));
    expect(errorCodeOf(() => verifyTlogProof(text, { ...EXPECTED, verifiers: [sameNameOtherKey], leafHash: LEAVES[5] }))).toBe('UNVERIFIED_NOTE');
    expect(errorCodeOf(() => verifyTlogProof(text, { ...EXPECTED, verifiers: [], leafHash: LEAVES[5] }))).toBe('UNVERIFIED_NOTE');
  });

  it('fails to read, or to verify, with any one byte of it changed', () => {
    const text = formatTlogProof(proofOf(321, Buffer.from('extra')));
    const survivors: number[] = [];
    for (let position = 0; position < text.length; position += 1) {
      const changed = text.slice(0, position) + String.fromCharCode(text.charCodeAt(position) ^ 1) + text.slice(position + 1);
      if (errorCodeOf(() => verifyTlogProof(changed, { ...EXPECTED, leafHash: LEAVES[321] })) === undefined) survivors.push(position);
    }
    // Only the extra data (as the spec warns) and the witness's cosignature, by a key this verifier does not know, are not authenticated.
    const inLine = (position: number, lineStart: number) => position > lineStart && position < text.indexOf('\n', lineStart);
    const extraLine = text.indexOf('extra ');
    const witnessLine = text.indexOf('\u2014 witness.example ');
    expect(survivors.length).toBeGreaterThan(0);
    expect(survivors.filter((position) => !inLine(position, extraLine) && !inLine(position, witnessLine))).toEqual([]);
  });

  it.each([
    ['another header', (text: string) => text.replace('tlog-proof@v1', 'tlog-proof@v2')],
    ['an index with a leading zero', (text: string) => text.replace('index 5\n', 'index 05\n')],
    ['no index line', (text: string) => text.replace('index 5\n', '')],
    ['a hash of 31 bytes', (text: string) => text.replace(/\n[A-Za-z0-9+/]{43}=\n/, `\n${Buffer.alloc(31).toString('base64')}\n`)],
    ['no blank line', (text: string) => text.replace('\n\n', '\n')],
    ['a checkpoint that is not one', (text: string) => text.replace(`${TREE_SIZE}\n`, 'one thousand\n')],
  ])('refuses a proof with %s', (_why, mangle) => {
    expect(errorCodeOf(() => parseTlogProof(mangle(formatTlogProof(proofOf(5)))))).toBe('MALFORMED_TLOG_PROOF');
  });
});
