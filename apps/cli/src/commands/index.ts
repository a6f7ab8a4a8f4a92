import type { CliCommand } from './cli-command';
import { migrateCommand } from './migrate.command';
import { projectionsCommand } from './projections.command';
import { rebuildCommand } from './rebuild.command';
import { reportCommand } from './report.command';
import { seedCommand } from './seed.command';
import { tokenCommand } from './token.command';
import { verifyCommand } from './verify.command';
import { verifyCertificateCommand } from './verify-certificate.command';
import { auditCommand } from './audit.command';

export type { CliCommand } from './cli-command';

/**
 * Every subcommand of `npm run ledger -- …`, one file each in this folder.
 * To add one (rebuild, report, verify, seed…): write `<name>.command.ts`
 * exporting a CliCommand and list it here.
 */
export const cliCommands: readonly CliCommand[] = [tokenCommand, migrateCommand, seedCommand, rebuildCommand, projectionsCommand, reportCommand, verifyCommand, verifyCertificateCommand, auditCommand];
