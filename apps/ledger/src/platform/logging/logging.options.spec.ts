import type { IncomingMessage } from 'node:http';
import { requestForLog, routeTemplateOf } from './logging.options';

describe('request logging', () => {
  const curpInPath = '/v1/people/%50ERJ750914HBCXZN39/timeline';

  it('names the matched route by its template, and an unmatched request by nothing', () => {
    const routed = { url: curpInPath, route: { path: '/v1/people/:subjectId/timeline' } } as unknown as IncomingMessage;
    expect(routeTemplateOf(routed)).toBe('/v1/people/:subjectId/timeline');
    expect(routeTemplateOf({ url: curpInPath } as IncomingMessage)).toBeUndefined();
  });

  it('binds method and correlation id to a request, never its path', () => {
    const line = JSON.stringify(requestForLog({ method: 'GET', id: 'c-1', url: curpInPath } as { method: string; id: string }));
    expect(line).toBe('{"method":"GET","id":"c-1"}');
  });
});
