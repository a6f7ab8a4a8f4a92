import type { Command } from 'commander';

/** One operator subcommand: it adds itself (name, options, action) to the program. */
export interface CliCommand {
  register(program: Command): void;
}
