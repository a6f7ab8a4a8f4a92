/** Not there yet: what a check answers until its condition holds. */
export type NotYet = undefined | null | false;

/**
 * The one polling helper of the tests: calls `check` until it gives a value
 * (anything but undefined, null or false), and returns it; fails after
 * `timeoutMs`, saying `what` it waited for (a function, for detail known only
 * then: a process's output). For conditions a test cannot be told about (a
 * server's readiness, a line in a log, a row another process writes), never
 * as a fixed sleep.
 */
export async function eventually<T>(
  check: () => T | NotYet | Promise<T | NotYet>,
  timeoutMs = 20_000,
  intervalMs = 100,
  what: string | (() => string) = 'the condition',
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined && value !== null && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`waited ${timeoutMs} ms for ${typeof what === 'function' ? what() : what}, in vain`);
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}
