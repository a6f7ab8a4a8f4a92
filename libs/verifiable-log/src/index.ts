/**
 * The verifiable log: RFC 9162 Merkle trees, C2SP hash tiles, signed notes,
 * checkpoints and tlog-proof bundles, as pure functions over plain data.
 * See ../README.md for what each part is for and how a builder, a server and
 * an auditor use them.
 */
export * from './verifiable-log.error';

// RFC 9162 §2: hashing, proof plans, verification, and proofs over leaf hashes in memory.
export { MAX_TREE_SIZE } from './merkle/tree.math';
export * from './merkle/tree.hashing';
export * from './merkle/merkle-node';
export * from './merkle/proof.plans';
export * from './merkle/proof.verifier';
export * from './merkle/leaf-hashes.prover';

// C2SP tlog-tiles: tile coordinates and paths, Go's stored-hash layout, the incremental builder, proofs from tiles.
export * from './tiles/hash-tile';
export * from './tiles/stored-hash.index';
export * from './tiles/tile.builder';
export * from './tiles/tile.prover';

// C2SP signed-note with Ed25519, and the two formats built on it: tlog-checkpoint and tlog-proof.
export * from './encoding/strict-base64.codec';
export * from './note/note-key.codec';
export * from './note/signed-note.codec';
export * from './checkpoint/checkpoint.codec';
export * from './checkpoint/tlog-proof.codec';

// W3C Data Integrity: eddsa-jcs-2022 proofs (Verifiable Credentials), did:key of Ed25519 keys, base58btc.
export * from './credential/base58btc.codec';
export * from './credential/did-key.codec';
export * from './credential/eddsa-jcs-2022.proof';

// A certificate that proves itself: the bundle of GET /v1/public/certificates/{folio}/proof, and its offline check.
export * from './certificate/certificate-proof';
