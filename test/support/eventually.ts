/**
 * Polls `check` until it gives a value (anything but undefined), and returns
 * it; fails after `timeoutMs`. For conditions the test cannot be told about
 * (a server's readiness, a line in its log), never as a fixed sleep.
 */
export async function eventually<T>(check: () => Promise<T | undefined>, timeoutMs = 20_000, intervalMs = 100): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}
