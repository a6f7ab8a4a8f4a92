import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { parse } from 'node:querystring';
import type { Actor, Role } from '@ledger/domain';
import { recordReadPosition } from '@ledger/read-models';
import { answerFirst } from '../platform/http/fast-lane';
import type { PipeTransform } from '@nestjs/common';
import { CertificationStatsQuery } from './dto/certificate-filters.query.dto';
import { queryFastPath, QueryStringReader, type QueryRoute } from './query-fast-path';
import { certificationStatsRoute } from './query-fast-routes';
import type { CertificationStatsQueries } from '@ledger/read-models';

/**
 * A stand-in for the application's validation pipe (Nest cannot load in
 * unit specs; the end-to-end suite runs the real one): it refuses unknown
 * parameters and repeated ones, as the real pipe does, and counts its calls.
 */
function standInPipe(): PipeTransform & { calls: number } {
  const known = ['groupBy', 'state', 'standard', 'issuedFrom', 'minPosition'];
  const pipe = {
    calls: 0,
    transform(value: Record<string, unknown>) {
      pipe.calls += 1;
      for (const [name, given] of Object.entries(value)) {
        if (!known.includes(name) || typeof given !== 'string') throw new Error(`${name} refused`);
      }
      return { ...value };
    },
  };
  return pipe;
}

/** The stats route's reading of a validated query, as the fast lane uses it. */
const statsReader = (pipe: PipeTransform) => new QueryStringReader(parse, pipe, CertificationStatsQuery, certificationStatsRoute({} as CertificationStatsQueries).read);

describe('QueryStringReader: the queries the fast lane answers itself (the stats route’s)', () => {
  it('reads a query as the controller does: dimensions in order, the filters alone', async () => {
    const reader = statsReader(standInPipe());
    const reading = await reader.read('groupBy=state,standard&state=BC&issuedFrom=2018-01-01');
    expect(reading?.groupBy).toEqual(['state', 'standard']);
    expect(reading?.filters).toMatchObject({ state: 'BC', issuedFrom: '2018-01-01' });
    expect(Object.keys(reading?.filters ?? {})).not.toContain('groupBy');
    expect(await reader.read('')).toEqual({ groupBy: [], filters: expect.any(Object) });
  });

  it('leaves to Nest what the pipe or parseGroupBy refuses, and a request that waits for a position', async () => {
    const reader = statsReader(standInPipe());
    for (const query of ['groupBy=color', 'groupBy=state,state', 'curp=PERJ750914HBCXZN39', 'groupBy=state&groupBy=standard', 'minPosition=12']) {
      expect([query, await reader.read(query)]).toEqual([query, undefined]);
    }
  });

  it('reads each query string once, keeps the reading frozen, and keeps at most 4,096', async () => {
    const pipe = standInPipe();
    const reader = statsReader(pipe);
    const first = await reader.read('groupBy=state');
    expect(await reader.read('groupBy=state')).toBe(first);
    expect(await reader.read('limit=5')).toBeUndefined();
    expect(await reader.read('limit=5')).toBeUndefined();
    expect(pipe.calls).toBe(2);
    expect(Object.isFrozen(first) && Object.isFrozen(first?.groupBy) && Object.isFrozen(first?.filters)).toBe(true);
    for (let n = 0; n < 4_094; n += 1) await reader.read(`groupBy=state&state=S${n}`);
    expect(pipe.calls).toBe(4_096);
    await reader.read('groupBy=state'); // still kept: 4,096 readings, limit=5's included
    expect(pipe.calls).toBe(4_096);
    await reader.read('groupBy=state&state=S4094'); // one more: the oldest (groupBy=state) goes
    await reader.read('groupBy=state');
    expect(pipe.calls).toBe(4_098);
  });
});

describe('queryFastPath: what it answers, and what it hands on', () => {
  /** A server whose fast path answers a fake route, and whose onward listener (Nest's place) answers 599. */
  async function serve(route: Partial<QueryRoute<{ q: string }, { answered: string }>>, roles: readonly Role[] = ['comptroller']) {
    const server = createServer();
    server.on('request', (_request: IncomingMessage, response: ServerResponse) => response.writeHead(599).end('onward'));
    const actorOf = async (header: string | undefined): Promise<Actor> => {
      if (header === 'Bearer comptroller') return { id: 'c-1', role: 'comptroller', organizationId: 'SECOGEF' } as Actor;
      if (header === 'Bearer registrar') return { id: 'r-1', role: 'registrar', organizationId: 'CECATI-149' } as Actor;
      throw new Error('401');
    };
    answerFirst(
      server,
      queryFastPath(
        {
          path: '/v1/things',
          roles,
          dto: CertificationStatsQuery,
          read: ({ q }: { q?: string }) => ({ q: q ?? '' }),
          answer: async (query) => {
            recordReadPosition(41n);
            return { answered: query.q };
          },
          ...route,
        },
        { authenticate: actorOf, parseQuery: parse, validation: { transform: (value: unknown) => value }, express: { get: () => undefined, request: {} } },
      ),
    );
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const call = async (path: string, headers: Record<string, string> = {}) => {
      const response = await fetch(`${base}${path}`, { headers });
      return { status: response.status, text: await response.text(), position: response.headers.get('ledger-position') };
    };
    return { server, call, base };
  }

  it('answers a caller in the route’s roles with the service’s answer and its position, after recording the read', async () => {
    const recorded: string[] = [];
    const { server, call } = await serve({ record: (answer, actor, correlationId) => recorded.push(`${actor.id} ${answer.answered} ${correlationId}`) });
    try {
      expect(await call('/v1/things?q=a', { Authorization: 'Bearer comptroller', 'X-Correlation-Id': 'read-1' })).toEqual({ status: 200, text: '{"answered":"a"}', position: '41' });
      expect(recorded).toEqual(['c-1 a read-1']);
    } finally {
      server.close();
    }
  });

  it('hands on what Nest must answer: no token, a bad one, another role, other paths and methods, a read the access log refuses', async () => {
    const { server, call } = await serve({
      record: (answer) => {
        if (answer.answered === 'refused') throw new Error('503 ACCESS_LOG_UNAVAILABLE');
      },
    });
    try {
      const onward = { status: 599, text: 'onward', position: null };
      expect(await call('/v1/things?q=a')).toEqual(onward);
      expect(await call('/v1/things?q=a', { Authorization: 'Bearer forged' })).toEqual(onward);
      expect(await call('/v1/things?q=a', { Authorization: 'Bearer registrar' })).toEqual(onward);
      expect(await call('/v1/things/?q=a', { Authorization: 'Bearer comptroller' })).toEqual(onward);
      expect(await call('/v1/thingsX?q=a', { Authorization: 'Bearer comptroller' })).toEqual(onward);
      expect(await call(`/v1/things?q=${'a'.repeat(3_000)}`, { Authorization: 'Bearer comptroller' })).toEqual(onward);
      expect(await call('/v1/things?q=a&minPosition=3', { Authorization: 'Bearer comptroller' })).toEqual(onward);
      expect(await call('/v1/things?q=refused', { Authorization: 'Bearer comptroller' })).toEqual(onward);
      expect(await call('/v1/things?q=a', { Authorization: 'Bearer comptroller', 'If-None-Match': 'W/"x"' })).toEqual(onward);
    } finally {
      server.close();
    }
  });

  it('hands on when the service fails or records no position', async () => {
    const failing = await serve({ answer: async () => Promise.reject(new Error('store unavailable')) });
    const unpositioned = await serve({ answer: async () => ({ answered: 'x' }) });
    try {
      expect((await failing.call('/v1/things?q=a', { Authorization: 'Bearer comptroller' })).status).toBe(599);
      expect((await unpositioned.call('/v1/things?q=a', { Authorization: 'Bearer comptroller' })).status).toBe(599);
    } finally {
      failing.server.close();
      unpositioned.server.close();
    }
  });

  it('sends what the route makes of an answer, with its headers and type, and hands on, unrecorded, what it will not send or not answer', async () => {
    const recorded: string[] = [];
    const { server, call, base } = await serve({
      inLane: (query) => query.q !== 'elsewhere',
      sent: (answer) => (answer.answered === 'big' ? undefined : { body: `text ${answer.answered}`, headers: ['X-Thing', answer.answered], contentType: 'text/csv; charset=utf-8' }),
      record: (answer) => recorded.push(answer.answered),
    });
    try {
      const response = await fetch(`${base}/v1/things?q=a`, { headers: { Authorization: 'Bearer comptroller' } });
      expect({ status: response.status, text: await response.text(), type: response.headers.get('content-type'), thing: response.headers.get('x-thing') }).toEqual({
        status: 200,
        text: 'text a',
        type: 'text/csv; charset=utf-8',
        thing: 'a',
      });
      expect(response.headers.get('ledger-position')).toBe('41');
      expect(response.headers.get('content-length')).toBe('6');
      expect(await call('/v1/things?q=big', { Authorization: 'Bearer comptroller' })).toEqual({ status: 599, text: 'onward', position: null });
      expect(await call('/v1/things?q=elsewhere', { Authorization: 'Bearer comptroller' })).toEqual({ status: 599, text: 'onward', position: null });
      expect(recorded).toEqual(['a']);
    } finally {
      server.close();
    }
  });
});
