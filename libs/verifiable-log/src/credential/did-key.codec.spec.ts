import { generateNoteKey } from '../note/note-key.codec';
import { errorCodeOf } from '../testing/error-code';
import { ed25519DidKey, publicKeyOfDidKey } from './did-key.codec';
import { VECTOR_KEY, VECTOR_VERIFICATION_METHOD, vectorSigner } from '../testing/eddsa-jcs-2022.vectors';

describe('did:key of Ed25519 keys', () => {
  it("names the vectors' key as the spec does, and reads it back from the DID or its verification method", () => {
    const signer = vectorSigner();
    const didKey = ed25519DidKey(signer.publicKey);
    expect(didKey).toEqual({
      did: `did:key:${VECTOR_KEY.publicKeyMultibase}`,
      verificationMethod: VECTOR_VERIFICATION_METHOD,
      publicKeyMultibase: VECTOR_KEY.publicKeyMultibase,
    });
    expect(publicKeyOfDidKey(didKey.did)).toEqual(signer.publicKey);
    expect(publicKeyOfDidKey(didKey.verificationMethod)).toEqual(signer.publicKey);
  });

  it('refuses what is not an Ed25519 did:key', () => {
    const { did, publicKeyMultibase } = ed25519DidKey(generateNoteKey('ledger.example.gob.mx/log').publicKey);
    const p256 = 'did:key:zDnaerDaTF5BXEavCrfRZEk316dpbLsfPDZ3WJ5hRTPFU2169';
    for (const refused of [`did:web:${publicKeyMultibase}`, `${did}#key-1`, `${did}#${publicKeyMultibase}#x`, did.slice(0, -1), `${did}1`, p256, 'did:key:', 'did:key:z']) {
      expect({ refused, code: errorCodeOf(() => publicKeyOfDidKey(refused)) }).toEqual({ refused, code: 'MALFORMED_KEY' });
    }
  });
});
