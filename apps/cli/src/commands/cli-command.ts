import type { Command } from 'commander';

/** One operator subcommand: it adds itself (name, options, action) to the program. */
export interface CliCommand {
  register(program: Command): void;
}

/** A failure the operator can act on: printed as its message alone, without a stack. */
export class OperatorError extends Error {
  override readonly name = 'OperatorError';
}
