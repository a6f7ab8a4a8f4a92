import {
  appendLeaves,
  consistencyProofFromTiles,
  emptyTreeEdge,
  formatTlogProof,
  formatVerifierKey,
  generateNoteKey,
  hashLeaf,
  inclusionProofFromTiles,
  openCheckpoint,
  parseTilePath,
  parseVerifierKey,
  planInclusionProof,
  ReadTile,
  rootOfTreeEdge,
  signCheckpoint,
  storedHashIndexesOf,
  tilePath,
  TreeEdge,
  verifierKeyOf,
  verifyConsistency,
  verifyTlogProof,
} from '@ledger/verifiable-log';

/*
 * The three users of the library, end to end through its public entry point:
 * a builder appending batches and signing checkpoints, a server answering
 * tiles and proofs, and an auditor checking a new checkpoint against the one
 * it kept.
 */
const ORIGIN = 'ledger.example.gob.mx/log';
const logKey = generateNoteKey(ORIGIN);
const published = formatVerifierKey(verifierKeyOf(logKey));

const entries = Array.from({ length: 3000 }, (_, position) => Buffer.from(JSON.stringify({ position, type: 'CertificateIssued' })));
const tiles = new Map<string, Buffer>();
const storedHashes: Buffer[] = [];
const checkpoints: string[] = [];
let edge: TreeEdge = emptyTreeEdge();
for (const batchEnd of [1, 700, 1800, 3000]) {
  const appended = appendLeaves(edge, entries.slice(edge.size, batchEnd).map(hashLeaf));
  for (const { tile, bytes } of appended.tiles) tiles.set(tilePath(tile), bytes);
  storedHashes.push(appended.storedHashes.hashes);
  edge = appended.edge;
  checkpoints.push(signCheckpoint({ origin: ORIGIN, treeSize: edge.size, rootHash: rootOfTreeEdge(edge), extensionLines: [] }, [logKey]));
}
// What GET /v1/log/tile/... will do: read the path back, then answer the stored bytes.
const readTile: ReadTile = async (tile) => {
  const bytes = tiles.get(tilePath(parseTilePath(tilePath(tile))));
  if (bytes === undefined) throw new Error(`no tile ${tilePath(tile)}`);
  return bytes;
};

describe('@ledger/verifiable-log', () => {
  it('a certificate entry proves itself offline with a tlog-proof bundle', async () => {
    const latest = openCheckpoint(checkpoints[3], { origin: ORIGIN, verifiers: [parseVerifierKey(published)] }).checkpoint;
    const leafIndex = 2024;
    const inclusionProof = await inclusionProofFromTiles(leafIndex, latest.treeSize, readTile);
    const bundle = formatTlogProof({ leafIndex, inclusionProof, signedCheckpoint: checkpoints[3] });
    const verified = verifyTlogProof(bundle, { leafHash: hashLeaf(entries[leafIndex]), origin: ORIGIN, verifiers: [parseVerifierKey(published)] });
    expect(verified.checkpoint.treeSize).toBe(3000);
  });

  it('a server can answer the same proof from stored hashes, with one read and no hashing', () => {
    const layout = Buffer.concat(storedHashes);
    const plan = planInclusionProof(2024, 3000);
    const hashes = storedHashIndexesOf(plan.nodes).map((storedIndex) => layout.subarray(storedIndex * 32, storedIndex * 32 + 32));
    expect(plan.complete(hashes)).toHaveLength(12);
  });

  it('an auditor holding an older checkpoint checks the new one extends it', async () => {
    const verifiers = [parseVerifierKey(published)];
    for (let older = 0; older < checkpoints.length - 1; older += 1) {
      const old = openCheckpoint(checkpoints[older], { origin: ORIGIN, verifiers }).checkpoint;
      const next = openCheckpoint(checkpoints[3], { origin: ORIGIN, verifiers }).checkpoint;
      const proof = await consistencyProofFromTiles(old.treeSize, next.treeSize, readTile);
      expect(verifyConsistency({ oldSize: old.treeSize, newSize: next.treeSize, oldRoot: old.rootHash, newRoot: next.rootHash, proof })).toEqual({ valid: true });
    }
  });
});
