import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, linkSync, mkdirSync, readFileSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { formatSignerKey, generateNoteKey, parseSignerKey } from '@ledger/verifiable-log';
import { ConfigurationError, type LedgerConfig } from './ledger-config';

/**
 * The ledger's secrets. Every instance of one ledger (server, CLI, projector)
 * must use the same ones: tokens signed by the CLI are checked by the server,
 * and a subjectId or folio computed twice must come out the same.
 */
export interface LedgerSecrets {
  /** Signs and checks bearer tokens (HS256). */
  readonly tokenKey: string;
  /** Keys the HMAC that turns a CURP into an opaque subjectId. */
  readonly subjectKey: string;
  /** Keys the HMAC that turns a process into its folio. */
  readonly folioKey: string;
  /** Signs the verifiable log's checkpoints: a C2SP signed-note Ed25519 signer key, named like the log's origin. */
  readonly logKey: string;
  /**
   * Wraps every subject's data key (libs/personal-data). Losing it loses
   * every name and CURP in the ledger: back it up apart from the database.
   */
  readonly masterKey: string;
}

type SecretName = keyof LedgerSecrets;

const FILE_OF: Record<SecretName, string> = {
  tokenKey: 'token.key',
  subjectKey: 'subject.key',
  folioKey: 'folio.key',
  logKey: 'log.key',
  masterKey: 'master.key',
};

const randomSecret = () => randomBytes(32).toString('base64url');

export function secretsDir(dataDir: string): string {
  return join(dataDir, 'secrets');
}

/** Configured secrets win; each missing one is read from the data folder, or generated there once. */
export function resolveLedgerSecrets(
  config: Pick<LedgerConfig, 'dataDir' | 'tokenKey' | 'subjectKey' | 'folioKey' | 'logKey' | 'logOrigin'> & Partial<Pick<LedgerConfig, 'masterKey'>>,
): LedgerSecrets {
  const resolveOne = (name: Exclude<SecretName, 'logKey'>) => config[name] ?? readOrCreateSecret(secretsDir(config.dataDir), FILE_OF[name], randomSecret);
  const logKey = config.logKey ?? readOrCreateSecret(secretsDir(config.dataDir), FILE_OF.logKey, () => formatSignerKey(generateNoteKey(config.logOrigin)));
  const logKeyName = parseSignerKey(logKey).name;
  if (logKeyName !== config.logOrigin) {
    throw new ConfigurationError([
      `the log key in ${join(secretsDir(config.dataDir), FILE_OF.logKey)} is for the origin "${logKeyName}", not LEDGER_LOG_ORIGIN "${config.logOrigin}": a log keeps its origin for life`,
    ]);
  }
  return { tokenKey: resolveOne('tokenKey'), subjectKey: resolveOne('subjectKey'), folioKey: resolveOne('folioKey'), logKey, masterKey: resolveOne('masterKey') };
}

/**
 * Two processes may start at once on a fresh data folder (the server and a CLI
 * command). The secret is written to a private temporary file and then
 * hard-linked into place, which fails if the name exists: whoever links first
 * wins and everyone reads the winner's complete file, never a half-written one.
 */
function readOrCreateSecret(dir: string, fileName: string, generate: () => string): string {
  const file = join(dir, fileName);
  if (existsSync(file)) return readSecretFile(file);
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  chmodSync(dir, 0o700);
  const temporary = join(dir, `.${fileName}.${process.pid}.${randomBytes(4).toString('hex')}`);
  writeFileSync(temporary, generate() + '\n', { mode: 0o600 });
  try {
    linkSync(temporary, file);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  } finally {
    unlinkSync(temporary);
  }
  return readSecretFile(file);
}

function readSecretFile(file: string): string {
  const secret = readFileSync(file, 'utf8').trim();
  if (secret.length === 0) throw new Error(`Secret file ${file} is empty; delete it to have it generated again`);
  return secret;
}
