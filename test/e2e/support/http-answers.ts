/** An HTTP answer as the fast-lane suites compare them: status, headers, body text. */
export interface Answer {
  status: number;
  headers: Headers;
  text: string;
}

export async function fetchAnswer(baseUrl: string, path: string, headers: Record<string, string> = {}, method = 'GET'): Promise<Answer> {
  const response = await fetch(`${baseUrl}${path}`, { method, headers });
  return { status: response.status, headers: response.headers, text: await response.text() };
}

/** Every header but those that differ from one answer to the next (the date, the correlation id, the rate limit's count). */
export function comparable(answer: Answer): Record<string, string> {
  const headers: Record<string, string> = {};
  answer.headers.forEach((value, name) => {
    if (!['date', 'x-correlation-id', 'ratelimit'].includes(name)) headers[name] = value;
  });
  return headers;
}
