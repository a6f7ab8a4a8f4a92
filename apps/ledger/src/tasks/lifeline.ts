/**
 * A ledger process started for another (the CLI's `import`, or the server
 * `seed demo` starts for itself) with LEDGER_LIFELINE=stdin ends when its
 * parent does: the parent holds the other end of its stdin, which closes when
 * the parent exits, however it exits (kill -9 included). An import does not
 * go on writing after its operator's command is gone.
 */
export function exitWithParent(onParentGone: () => void = () => process.exit(1), env: NodeJS.ProcessEnv = process.env): void {
  if (env.LEDGER_LIFELINE !== 'stdin') return;
  process.stdin.on('data', () => undefined);
  process.stdin.once('end', onParentGone);
  process.stdin.once('close', onParentGone);
  process.stdin.resume();
  // Listening must not keep a finished task alive.
  (process.stdin as NodeJS.ReadStream & { unref?: () => void }).unref?.();
}
