/**
 * Micro-benchmarks of the verifiable log library, for the figures in its
 * README: appending a million leaves, a root, and an inclusion proof three
 * ways (from stored hashes, from tiles, verified). Run with
 *   npx ts-node --transpile-only -r tsconfig-paths/register libs/verifiable-log/bench/verifiable-log.bench.ts
 * Numbers are per operation, best of a few rounds (the machine is shared).
 */
import { createHash } from 'node:crypto';
import {
  appendLeaves,
  emptyTreeEdge,
  consistencyProofFromTiles,
  inclusionProofFromTiles,
  rootFromTiles,
  parseVerifierKey,
  planInclusionProof,
  planRoot,
  ReadTile,
  rootOfTreeEdge,
  signCheckpoint,
  openCheckpoint,
  generateNoteKey,
  formatVerifierKey,
  storedHashIndexesOf,
  tilePath,
  verifyInclusion,
  TreeEdge,
} from '@ledger/verifiable-log';

const LEAF_COUNT = 1_000_000;
const BATCH = 10_000;

function timeIt(label: string, rounds: number, iterations: number, run: (iteration: number) => unknown): number {
  let best = Infinity;
  for (let round = 0; round < rounds; round += 1) {
    const started = process.hrtime.bigint();
    for (let iteration = 0; iteration < iterations; iteration += 1) run(iteration);
    best = Math.min(best, Number(process.hrtime.bigint() - started) / iterations);
  }
  const shown = best >= 1e6 ? `${(best / 1e6).toFixed(1)} ms` : `${(best / 1e3).toFixed(1)} µs`;
  console.log(`${label.padEnd(58)} ${shown}`);
  return best;
}

async function timeAsync(label: string, rounds: number, iterations: number, run: (iteration: number) => Promise<unknown>): Promise<void> {
  let best = Infinity;
  for (let round = 0; round < rounds; round += 1) {
    const started = process.hrtime.bigint();
    for (let iteration = 0; iteration < iterations; iteration += 1) await run(iteration);
    best = Math.min(best, Number(process.hrtime.bigint() - started) / iterations);
  }
  console.log(`${label.padEnd(58)} ${(best / 1e3).toFixed(1)} µs`);
}

async function main(): Promise<void> {
  const leaves = Array.from({ length: LEAF_COUNT }, (_, index) => createHash('sha256').update(`leaf ${index}`).digest());
  let edge: TreeEdge = emptyTreeEdge();
  const tiles = new Map<string, Buffer>();
  let stored: Buffer = Buffer.alloc(0);

  const inOneGo = timeIt('append 1,000,000 leaves in one batch', 3, 1, () => appendLeaves(emptyTreeEdge(), leaves));
  const started = process.hrtime.bigint();
  const storedParts: Buffer[] = [];
  for (let start = 0; start < LEAF_COUNT; start += BATCH) {
    const appended = appendLeaves(edge, leaves.slice(start, start + BATCH));
    for (const { tile, bytes } of appended.tiles) tiles.set(tilePath(tile), bytes);
    storedParts.push(appended.storedHashes.hashes);
    edge = appended.edge;
  }
  stored = Buffer.concat(storedParts);
  console.log(`${'append 1,000,000 leaves in batches of 10,000 (keeping tiles)'.padEnd(58)} ${(Number(process.hrtime.bigint() - started) / 1e6).toFixed(1)} ms`);
  console.log(`${'  per leaf, one batch'.padEnd(58)} ${(inOneGo / LEAF_COUNT / 1e3).toFixed(2)} µs`);
  timeIt('append 1 leaf to a tree of 1,000,000', 3, 2000, (iteration) => appendLeaves(edge, [leaves[iteration]]));

  const storedHash = (storedIndex: number) => stored.subarray(storedIndex * 32, storedIndex * 32 + 32);
  timeIt('root of the tree edge (1,000,000 leaves)', 3, 10_000, () => rootOfTreeEdge(edge));
  timeIt('root from stored hashes (plan + read + fold)', 3, 10_000, () => {
    const plan = planRoot(LEAF_COUNT);
    return plan.complete(storedHashIndexesOf(plan.nodes).map(storedHash));
  });
  timeIt('inclusion proof from stored hashes (plan + read + fold)', 3, 10_000, (iteration) => {
    const plan = planInclusionProof((iteration * 7919) % LEAF_COUNT, LEAF_COUNT);
    return plan.complete(storedHashIndexesOf(plan.nodes).map(storedHash));
  });
  const readTile: ReadTile = async (tile) => tiles.get(tilePath(tile)) as Buffer;
  await timeAsync('inclusion proof from tiles (in memory)', 3, 300, (iteration) => inclusionProofFromTiles((iteration * 7919) % LEAF_COUNT, LEAF_COUNT, readTile));
  await timeAsync('root from tiles (in memory)', 3, 300, () => rootFromTiles(LEAF_COUNT, readTile));
  await timeAsync('consistency proof from tiles (in memory)', 3, 300, (iteration) => consistencyProofFromTiles(1 + ((iteration * 7919) % (LEAF_COUNT - 1)), LEAF_COUNT, readTile));
  const root = rootOfTreeEdge(edge);
  const proofs = Array.from({ length: 1000 }, (_, iteration) => {
    const leafIndex = (iteration * 7919) % LEAF_COUNT;
    const plan = planInclusionProof(leafIndex, LEAF_COUNT);
    return { leafIndex, proof: plan.complete(storedHashIndexesOf(plan.nodes).map(storedHash)) };
  });
  timeIt('verify an inclusion proof (20 hashes)', 3, 1000, (iteration) =>
    verifyInclusion({ leafIndex: proofs[iteration].leafIndex, treeSize: LEAF_COUNT, leafHash: leaves[proofs[iteration].leafIndex], proof: proofs[iteration].proof, rootHash: root }),
  );
  const key = generateNoteKey('ledger.example.gob.mx/log');
  const checkpoint = { origin: key.name, treeSize: LEAF_COUNT, rootHash: root, extensionLines: [] };
  timeIt('sign a checkpoint', 3, 500, () => signCheckpoint(checkpoint, [key]));
  const signed = signCheckpoint(checkpoint, [key]);
  const verifiers = [parseVerifierKey(formatVerifierKey(key))];
  timeIt('open a signed checkpoint', 3, 500, () => openCheckpoint(signed, { origin: key.name, verifiers }));
}

void main();
