import { spawn } from 'node:child_process';
import { resolve } from 'node:path';

const SCRIPT = resolve(__dirname, 'verify-credential.mjs');
/** A verification is a fraction of a second; a few hundred of them in one process, a few seconds. */
const VERIFIER_TIMEOUT_MS = 30_000;

/** What verify-credential.mjs says of one credential (see the script). */
export interface CredentialVerdict {
  /** The whole verification: context, dates, proof, issuer as the key's controller, status. */
  verified: boolean;
  /** The Data Integrity proof alone. */
  proofVerified: boolean;
  /** The status check, when the proof verified. */
  status: { verified: boolean } | null;
  /** Whether the issuer and the verification method are the did:key of the key given, when one was. */
  issuerIsKey: boolean | null;
  /** JSON-LD safe-mode problems: terms that map to no IRI. */
  jsonLd: string[];
  errors: string[];
}

export interface VerifyOptions {
  /** Verify as of this instant instead of now. */
  now?: string;
  /** The raw Ed25519 public key, base64url, that the issuer and the proof must be the did:key of. */
  publicKey?: string;
}

/**
 * Verifies credentials with Digital Bazaar's implementations (ES modules, so in
 * a child process of their own): one process for all the credentials given.
 */
export function verifyCredentials(credentials: readonly unknown[], options: VerifyOptions = {}): Promise<CredentialVerdict[]> {
  const args = [SCRIPT, ...(options.now ? ['--now', options.now] : []), ...(options.publicKey ? ['--public-key', options.publicKey] : [])];
  return new Promise((resolveRun, rejectRun) => {
    const child = spawn(process.execPath, args, { stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    const timer = setTimeout(() => child.kill('SIGKILL'), VERIFIER_TIMEOUT_MS);
    child.stdout.on('data', (chunk) => (stdout += chunk));
    child.stderr.on('data', (chunk) => (stderr += chunk));
    child.on('error', rejectRun);
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      if (code !== 0) return rejectRun(new Error(`verify-credential.mjs exited ${code ?? signal}: ${stderr}`));
      try {
        resolveRun(JSON.parse(stdout) as CredentialVerdict[]);
      } catch {
        rejectRun(new Error(`verify-credential.mjs printed no verdict: ${stdout} ${stderr}`));
      }
    });
    child.stdin.end(JSON.stringify(credentials));
  });
}

export async function verifyCredential(credential: unknown, options: VerifyOptions = {}): Promise<CredentialVerdict> {
  const [verdict] = await verifyCredentials([credential], options);
  return verdict;
}
