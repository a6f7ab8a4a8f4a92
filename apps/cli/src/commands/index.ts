import type { CliCommand } from './cli-command';

export type { CliCommand } from './cli-command';

/**
 * Every subcommand of `npm run ledger -- …`, one file each in this folder,
 * by name. Each is required only when it runs (or for --help), so that a
 * command starts without loading what the others need: `verify-certificate`
 * and `audit` need no database driver, no NestJS, no ORM.
 * To add one: write `<name>.command.ts` exporting a CliCommand and list it here.
 */
export const cliCommandLoaders: Readonly<Record<string, () => CliCommand>> = {
  token: () => (require('./token.command') as typeof import('./token.command')).tokenCommand,
  migrate: () => (require('./migrate.command') as typeof import('./migrate.command')).migrateCommand,
  seed: () => (require('./seed.command') as typeof import('./seed.command')).seedCommand,
  import: () => (require('./import.command') as typeof import('./import.command')).importCommand,
  rebuild: () => (require('./rebuild.command') as typeof import('./rebuild.command')).rebuildCommand,
  projections: () => (require('./projections.command') as typeof import('./projections.command')).projectionsCommand,
  report: () => (require('./report.command') as typeof import('./report.command')).reportCommand,
  verify: () => (require('./verify.command') as typeof import('./verify.command')).verifyCommand,
  'verify-certificate': () => (require('./verify-certificate.command') as typeof import('./verify-certificate.command')).verifyCertificateCommand,
  audit: () => (require('./audit.command') as typeof import('./audit.command')).auditCommand,
};

/** The commands a command line needs: the one it names, or all of them (help, or an unknown name commander will refuse). */
export function cliCommandsFor(argv: readonly string[]): CliCommand[] {
  const name = argv[2];
  const loader = name === undefined || !Object.hasOwn(cliCommandLoaders, name) ? undefined : cliCommandLoaders[name];
  return loader ? [loader()] : Object.values(cliCommandLoaders).map((load) => load());
}
