import 'reflect-metadata';
import { Command } from 'commander';
import { ConfigurationError } from '@ledger/platform';
import { cliCommandsFor } from './commands';
import { OperatorError } from './commands/cli-command';

/** The operators' tool: `npm run ledger -- <command> [options]`. */
async function main(): Promise<void> {
  const program = new Command('ledger').description('Operator commands of the certification ledger').showHelpAfterError();
  for (const command of cliCommandsFor(process.argv)) command.register(program);
  await program.parseAsync(process.argv);
}

main().catch((error: unknown) => {
  const message = error instanceof ConfigurationError || error instanceof OperatorError ? error.message : error instanceof Error ? (error.stack ?? error.message) : String(error);
  process.stderr.write(`ledger: ${message}\n`);
  process.exit(1);
});
