/**
 * What `work` settles to within `ms`: its value, the error it failed with,
 * or an Error saying it did not answer in time. Never rejects. The health
 * checks' way to ask a dependency that may hang.
 */
export async function answerWithin<T>(work: Promise<T>, ms: number): Promise<T | Error> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<Error>((resolve) => (timer = setTimeout(() => resolve(new Error(`no answer within ${ms} ms`)), ms)));
  try {
    return await Promise.race([work.catch((error: unknown) => (error instanceof Error ? error : new Error(String(error)))), timeout]);
  } finally {
    clearTimeout(timer);
  }
}
