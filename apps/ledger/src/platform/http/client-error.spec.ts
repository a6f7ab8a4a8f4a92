import { rawProblemAnswer } from './client-error';

function parse(raw: string): { statusLine: string; headers: Record<string, string>; body: Record<string, unknown> } {
  const [head, body] = raw.split('\r\n\r\n');
  const [statusLine, ...lines] = head.split('\r\n');
  const headers = Object.fromEntries(lines.map((line) => [line.slice(0, line.indexOf(':')).toLowerCase(), line.slice(line.indexOf(':') + 2)]));
  return { statusLine, headers, body: JSON.parse(body) };
}

describe('rawProblemAnswer', () => {
  it('answers headers past Node’s limit with a 431 problem that carries the edge’s headers and closes the connection', () => {
    const answer = parse(rawProblemAnswer(Object.assign(new Error('Header overflow'), { code: 'HPE_HEADER_OVERFLOW' })));
    expect(answer.statusLine).toBe('HTTP/1.1 431 Request Header Fields Too Large');
    expect(answer.headers).toMatchObject({
      'content-type': 'application/problem+json',
      'x-content-type-options': 'nosniff',
      'x-frame-options': 'DENY',
      'cache-control': 'no-store',
      connection: 'close',
    });
    expect(answer.headers['content-security-policy']).toContain("frame-ancestors 'none'");
    expect(answer.body).toMatchObject({ status: 431, code: 'REQUEST_HEADERS_TOO_LARGE', correlationId: answer.headers['x-correlation-id'] });
  });

  it('answers other parse failures with 400, and a request that never finished with 408', () => {
    expect(parse(rawProblemAnswer(Object.assign(new Error('Invalid header value char'), { code: 'HPE_INVALID_HEADER_TOKEN' }))).body).toMatchObject({ status: 400, code: 'MALFORMED_REQUEST' });
    expect(parse(rawProblemAnswer(Object.assign(new Error('timeout'), { code: 'ERR_HTTP_REQUEST_TIMEOUT' }))).body).toMatchObject({ status: 408, code: 'REQUEST_TIMEOUT' });
  });

  it('gives a byte length that matches the body', () => {
    const raw = rawProblemAnswer(new Error('x'));
    const { headers } = parse(raw);
    expect(Number(headers['content-length'])).toBe(Buffer.byteLength(raw.split('\r\n\r\n')[1]));
  });
});
