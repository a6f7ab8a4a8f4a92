import { noteKeyFromSeed, type NoteSignerKey } from '../note/note-key.codec';
import { decodeMultibaseBase58btc } from '../credential/base58btc.codec';

/*
 * The eddsa-jcs-2022 test vectors of W3C Data Integrity EdDSA Cryptosuites
 * v1.0, Appendix "Representation: eddsa-jcs-2022" (github.com/w3c/vc-di-eddsa,
 * TestVectors/keyPair.json, unsigned.json and eddsa-jcs-2022/signedJCS.json;
 * W3C Software and Document License).
 */
export const VECTOR_KEY = {
  publicKeyMultibase: 'z6MkrJVnaZkeFzdQyMZu1cgjg7k1pZZ6pvBQ7XJPt4swbTQ2',
  // multibase base58btc of the multicodec ed25519-priv (0x80 0x26) and the 32-byte seed.
  secretKeyMultibase: 'z3u2en7t5LR2WtQH5PfFqMqwVHBeXouLzo6haApm8XHqvjxq',
};
export const VECTOR_CONTEXT = ['https://www.w3.org/ns/credentials/v2', 'https://www.w3.org/ns/credentials/examples/v2'];
export const VECTOR_UNSIGNED = {
  '@context': VECTOR_CONTEXT,
  id: 'urn:uuid:58172aac-d8ba-11ed-83dd-0b3aef56cc33',
  type: ['VerifiableCredential', 'AlumniCredential'],
  name: 'Alumni Credential',
  description: 'A minimum viable example of an Alumni Credential.',
  issuer: 'https://vc.example/issuers/5678',
  validFrom: '2023-01-01T00:00:00Z',
  credentialSubject: { id: 'did:example:abcdefgh', alumniOf: 'The School of Examples' },
};
export const VECTOR_VERIFICATION_METHOD = `did:key:${VECTOR_KEY.publicKeyMultibase}#${VECTOR_KEY.publicKeyMultibase}`;
export const VECTOR_PROOF = {
  type: 'DataIntegrityProof',
  cryptosuite: 'eddsa-jcs-2022',
  created: '2023-02-24T23:36:38Z',
  verificationMethod: VECTOR_VERIFICATION_METHOD,
  proofPurpose: 'assertionMethod',
  '@context': VECTOR_CONTEXT,
  proofValue: 'z2HnFSSPPBzR36zdDgK8PbEHeXbR56YF24jwMpt3R1eHXQzJDMWS93FCzpvJpwTWd3GAVFuUfjoJdcnTMuVor51aX',
};

export function vectorSigner(): NoteSignerKey {
  const secret = decodeMultibaseBase58btc(VECTOR_KEY.secretKeyMultibase) as Buffer;
  if (secret[0] !== 0x80 || secret[1] !== 0x26) throw new Error('not an ed25519-priv multikey');
  return noteKeyFromSeed('vector', secret.subarray(2));
}
