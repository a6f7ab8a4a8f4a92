import type { Command } from 'commander';
import { InvalidArgumentError, Option } from 'commander';
import type { Role } from '@ledger/domain';
import { cliContext } from '../cli-context';
import type { CliCommand } from './cli-command';
import { IDENTIFIER, isJurisdictionCode, JURISDICTION_CODES, ROLES_IN_TOKENS, signLedgerToken } from '@ledger/platform';

/** Development tokens live a working day unless asked otherwise; a week at most. */
const DEFAULT_TTL = '8h';
const MAX_TTL_SECONDS = 7 * 24 * 3600;
const UNIT_SECONDS: Readonly<Record<string, number>> = { s: 1, m: 60, h: 3600, d: 86400 };

/** `3600`, `90s`, `15m`, `8h`, `2d` → seconds. */
export function parseTtl(text: string): number {
  const match = /^(\d+)([smhd]?)$/.exec(text.trim());
  const seconds = match ? Number(match[1]) * UNIT_SECONDS[match[2] || 's'] : NaN;
  if (!Number.isSafeInteger(seconds) || seconds <= 0 || seconds > MAX_TTL_SECONDS) {
    throw new InvalidArgumentError('expected a duration such as 3600, 15m, 8h or 2d, at most 7d');
  }
  return seconds;
}

function identifier(name: string): (text: string) => string {
  return (text) => {
    if (!IDENTIFIER.test(text)) throw new InvalidArgumentError(`${name} must be 1 to 128 letters, digits, dots, colons, underscores or hyphens`);
    return text;
  };
}

/** A state code exactly as the ledger writes it (`QR`, `CMX`). */
export function parseJurisdiction(text: string): string {
  if (!isJurisdictionCode(text)) throw new InvalidArgumentError(`expected a state code, one of ${JURISDICTION_CODES.join(', ')}`);
  return text;
}

interface TokenOptions {
  role: Role;
  org: string;
  sub: string;
  ttl: number;
  jurisdiction?: string;
}

/**
 * `ledger token --role certifier --org ECE322-18 --sub user-7 [--ttl 8h]`
 * (`--role comptroller --jurisdiction QR` for a comptroller who sees one state):
 * signs with the key the server uses (LEDGER_TOKEN_KEY, or the one kept in
 * the data folder, created there if absent) and prints the token alone on
 * the last line, so scripts can take `tail -n 1`.
 */
export const tokenCommand: CliCommand = {
  register(program: Command): void {
    program
      .command('token')
      .description('Print a development bearer token signed with the ledger’s token key')
      .addOption(new Option('--role <role>', 'the caller’s role').choices(ROLES_IN_TOKENS).makeOptionMandatory())
      .requiredOption('--org <org>', 'the organization the caller acts for (provider, centre or agency)', identifier('--org'))
      .requiredOption('--sub <sub>', 'the caller’s id (an evaluator’s evaluatorId)', identifier('--sub'))
      .option('--ttl <duration>', 'lifetime: seconds, or with s/m/h/d', parseTtl, parseTtl(DEFAULT_TTL))
      .option('--jurisdiction <state>', 'a comptroller’s state code (QR, CMX…): the token then sees that state only', parseJurisdiction)
      .action((options: TokenOptions, command: Command) => {
        if (options.jurisdiction !== undefined && options.role !== 'comptroller') {
          command.error('error: --jurisdiction scopes a comptroller; a token of another role carries none', { exitCode: 1 });
        }
        const { secrets } = cliContext();
        const token = signLedgerToken(secrets.tokenKey, { sub: options.sub, role: options.role, org: options.org, ttlSeconds: options.ttl, jurisdiction: options.jurisdiction });
        const scope = options.jurisdiction === undefined ? '' : `, jurisdiction ${options.jurisdiction}`;
        process.stderr.write(`Token for ${options.sub} (${options.role} of ${options.org}${scope}), valid ${options.ttl} s:\n`);
        process.stdout.write(`${token}\n`);
      });
  },
};
