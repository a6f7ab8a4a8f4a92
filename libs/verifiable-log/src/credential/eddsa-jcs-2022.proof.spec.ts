import { generateNoteKey } from '../note/note-key.codec';
import { errorCodeOf } from '../testing/error-code';
import { signWithEddsaJcs2022, verifyEddsaJcs2022 } from './eddsa-jcs-2022.proof';
import { VECTOR_CONTEXT, VECTOR_PROOF, VECTOR_UNSIGNED, vectorSigner } from '../testing/eddsa-jcs-2022.vectors';

describe('eddsa-jcs-2022 proofs', () => {
  it("sign the spec's credential with the spec's key into the spec's proof, byte for byte", () => {
    const signed = signWithEddsaJcs2022(VECTOR_UNSIGNED, vectorSigner(), { created: VECTOR_PROOF.created });
    expect(signed.proof).toEqual(VECTOR_PROOF);
    expect(JSON.stringify(Object.keys(signed.proof))).toBe(JSON.stringify(Object.keys(VECTOR_PROOF)));
  });

  it("verify the spec's signed credential", () => {
    const verdict = verifyEddsaJcs2022({ ...VECTOR_UNSIGNED, proof: VECTOR_PROOF }, vectorSigner().publicKey);
    expect(verdict).toEqual({ valid: true, proof: VECTOR_PROOF });
  });

  it('fail when any field of the document or of the proof options changes, and when another key is trusted', () => {
    const key = vectorSigner();
    const signed = { ...VECTOR_UNSIGNED, proof: VECTOR_PROOF };
    const altered = [
      { ...signed, name: 'Alumni Credential!' },
      { ...signed, credentialSubject: { ...signed.credentialSubject, alumniOf: 'Another School' } },
      { ...signed, validUntil: '2030-01-01T00:00:00Z' },
      { ...signed, proof: { ...VECTOR_PROOF, created: '2023-02-24T23:36:39Z' } },
      { ...signed, proof: { ...VECTOR_PROOF, proofPurpose: 'authentication' } },
    ];
    for (const document of altered) expect(verifyEddsaJcs2022(document, key.publicKey)).toMatchObject({ valid: false, reason: 'INVALID_SIGNATURE' });
    expect(verifyEddsaJcs2022({ ...signed, '@context': [VECTOR_CONTEXT[0]] }, key.publicKey)).toMatchObject({ valid: false, reason: 'CONTEXT_MISMATCH' });
    expect(verifyEddsaJcs2022(signed, generateNoteKey('other').publicKey)).toMatchObject({ valid: false, reason: 'UNTRUSTED_KEY' });
  });

  it('reject malformed proofs without throwing', () => {
    const { publicKey } = vectorSigner();
    const withProof = (proof: unknown) => ({ ...VECTOR_UNSIGNED, proof });
    const rejections = [
      [null, 'MALFORMED_PROOF'],
      [VECTOR_UNSIGNED, 'MALFORMED_PROOF'],
      [withProof([VECTOR_PROOF]), 'MALFORMED_PROOF'],
      [withProof({ ...VECTOR_PROOF, cryptosuite: 'eddsa-rdfc-2022' }), 'UNSUPPORTED_CRYPTOSUITE'],
      [withProof({ ...VECTOR_PROOF, type: 'Ed25519Signature2020' }), 'UNSUPPORTED_CRYPTOSUITE'],
      [withProof({ ...VECTOR_PROOF, created: 'yesterday' }), 'MALFORMED_PROOF'],
      [withProof({ ...VECTOR_PROOF, proofValue: VECTOR_PROOF.proofValue.slice(1) }), 'MALFORMED_PROOF'],
      [withProof({ ...VECTOR_PROOF, proofValue: `${VECTOR_PROOF.proofValue}2` }), 'MALFORMED_PROOF'],
      [withProof({ ...VECTOR_PROOF, verificationMethod: 'https://vc.example/issuers/5678#key-1' }), 'MALFORMED_PROOF'],
      [{ ...VECTOR_UNSIGNED, big: 1n, proof: VECTOR_PROOF }, 'MALFORMED_PROOF'],
    ] as const;
    for (const [document, reason] of rejections) expect(verifyEddsaJcs2022(document, publicKey)).toMatchObject({ valid: false, reason });
  });

  it('give the same bytes for the same document, key and time, and refuse a created that is no dateTimeStamp', () => {
    const key = generateNoteKey('ledger.example.gob.mx/log');
    const sign = (created: string) => JSON.stringify(signWithEddsaJcs2022(VECTOR_UNSIGNED, key, { created }));
    expect(sign('2026-12-01T10:00:00Z')).toBe(sign('2026-12-01T10:00:00Z'));
    expect(sign('2026-12-01T10:00:00Z')).not.toBe(sign('2026-12-01T10:00:01Z'));
    for (const created of ['2026-12-01', '2026-12-01T10:00:00', '2026-13-01T10:00:00Z', '']) {
      expect(errorCodeOf(() => signWithEddsaJcs2022(VECTOR_UNSIGNED, key, { created }))).toBe('INVALID_PROOF_OPTIONS');
    }
    const signed = signWithEddsaJcs2022(VECTOR_UNSIGNED, key, { created: '2026-12-01T10:00:00Z' });
    expect(errorCodeOf(() => signWithEddsaJcs2022(signed, key, { created: '2026-12-01T10:00:00Z' }))).toBe('INVALID_PROOF_OPTIONS');
    expect(verifyEddsaJcs2022(signed, key.publicKey)).toMatchObject({ valid: true });
  });
});
