import type { Command } from 'commander';
import { readFileSync, statSync } from 'node:fs';
// The format's own module, not the projections' index: an offline check loads no database driver.
import { CertificateProofError, isVerifiableLogError, MAX_CERTIFICATE_PROOF_BYTES, openCheckpoint, verifyCertificateProof } from '@ledger/verifiable-log';
import { OperatorError, type CliCommand } from './cli-command';
import { readSmallFile, trustedLogKey } from './trusted-key';

/** Exit status of a genuine bundle whose certificate is revoked or expired: not an error, not a valid certificate either. */
export const NOT_VALID_EXIT_CODE = 2;

/**
 * `ledger verify-certificate FILE --key VKEY`: checks a certificate's proof
 * bundle (GET /v1/public/certificates/{folio}/proof) with nothing but the
 * file and the log key: no network, no database. Exit 0 when the bundle is
 * genuine and the certificate valid as of its status, 2 when genuine but
 * revoked or expired, 1 when the bundle does not prove its certificate.
 */
export const verifyCertificateCommand: CliCommand = {
  register(program: Command): void {
    program
      .command('verify-certificate')
      .description("Check a certificate's proof bundle offline against the log key")
      .argument('<file>', 'the bundle, as GET /v1/public/certificates/{folio}/proof answered it')
      .requiredOption('--key <vkey>', 'the log verifier key (<name>+<key id>+<base64>, as GET /v1/log/key answers), or a file holding it')
      .option('--checkpoint <file>', 'a later checkpoint of the same log you hold (e.g. saved by `ledger audit`): says whether the bundle’s status is older')
      .action((file: string, options: { key: string; checkpoint?: string }) => {
        const key = trustedLogKey(options.key);
        const trust = { origin: key.name, verifiers: [key] };
        const bytes = readBundle(file);
        let verified;
        try {
          verified = verifyCertificateProof(bytes, trust);
        } catch (error) {
          if (error instanceof CertificateProofError) throw new OperatorError(`${file} does not prove its certificate: ${error.code}: ${error.message}`);
          throw error;
        }
        const { folio, status, asOf, checkpoint, entries } = verified;
        const at = (role: string) => entries.find((entry) => entry.role === role);
        const lines = [
          `certificate ${folio} is in the log: ${entries.length} entries proven in the tree of ${checkpoint.treeSize} leaves signed by ${key.name}`,
          `  standard ${verified.standardCode}, provider ${verified.providerId}, issued ${verified.issuedAt}, valid until ${verified.validUntil} (issuance at position ${at('issuance')?.position})`,
          `  enrolled at position ${at('enrollment')?.position}; judged competent by evaluator ${verified.evaluatorId} at position ${at('judgment')?.position}, with credential ${verified.credentialFolio} (accreditation at position ${at('accreditation')?.position})`,
          ...(verified.revokedAt ? [`  revoked ${verified.revokedAt} (position ${at('revocation')?.position})`] : []),
          `status: ${status} as of ${asOf} (tree size ${checkpoint.treeSize})`,
        ];
        if (options.checkpoint) lines.push(newerCheckpointNote(options.checkpoint, trust, checkpoint.treeSize));
        process.stdout.write(`${lines.join('\n')}\n`);
        if (status !== 'valid') process.exitCode = NOT_VALID_EXIT_CODE;
      });
  },
};

function readBundle(file: string): Buffer {
  let size: number;
  try {
    size = statSync(file).size;
  } catch {
    throw new OperatorError(`${file} cannot be read`);
  }
  if (size > MAX_CERTIFICATE_PROOF_BYTES) throw new OperatorError(`${file} is ${size} bytes: not a certificate proof (at most ${MAX_CERTIFICATE_PROOF_BYTES})`);
  return readFileSync(file);
}

/** Whether a checkpoint the auditor holds is later than the bundle's: the status may have changed since. */
function newerCheckpointNote(file: string, trust: { origin: string; verifiers: readonly ReturnType<typeof trustedLogKey>[] }, treeSize: number): string {
  let held;
  try {
    held = openCheckpoint(readSmallFile(file, 'the checkpoint file'), trust).checkpoint;
  } catch (error) {
    if (isVerifiableLogError(error)) throw new OperatorError(`${file} is not a checkpoint signed by the key: ${error.message}`);
    throw error;
  }
  if (held.treeSize > treeSize) {
    return `this status is older than the checkpoint you hold (tree size ${held.treeSize} > ${treeSize}): the certificate may have changed since; fetch its proof again`;
  }
  return `the checkpoint you hold (tree size ${held.treeSize}) is not later than the bundle's: this status is the latest you know`;
}
