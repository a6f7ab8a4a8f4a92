/** The code of the error `run` throws, undefined when it returns, so a spec can list refusals in one table. */
export function errorCodeOf(run: () => unknown): string | undefined {
  try {
    run();
    return undefined;
  } catch (error) {
    return (error as { code?: string }).code ?? `not a VerifiableLogError: ${String(error)}`;
  }
}
