import { FixturePools, materialize, positionsAskedBy } from './fuzz-session';
import type { RequestPlan } from './request-plans';

const plan = (target: string, extra: Partial<RequestPlan> = {}): RequestPlan => ({
  operationId: 'op',
  kind: 'query',
  method: 'GET',
  routeMethod: 'GET',
  target,
  headers: [],
  malformed: [],
  fields: [],
  emptyPathSegment: false,
  ...extra,
});

describe('sending plans to a running ledger', () => {
  it('fills the markers with its ids, tokens and head, never below position 0', () => {
    const pools = new FixturePools();
    pools.add('folio', 'F-1');
    pools.add('folio', 'F-2');
    const request = materialize(
      plan('/v1/certificates/⟦folio#3⟧?minPosition=⟦head+1⟧&atPosition=⟦head-50⟧', { headers: [['Authorization', '⟦token:comptroller⟧']], body: '{"f":"⟦folio#0⟧"}' }),
      pools,
      { comptroller: 'Bearer t' },
      7n,
    );
    expect(request).toEqual({
      method: 'GET',
      target: '/v1/certificates/F-2?minPosition=8&atPosition=0',
      headers: [['Authorization', 'Bearer t']],
      body: Buffer.from('{"f":"F-1"}'),
    });
  });

  it('sends a latin1 body byte for byte', () => {
    const request = materialize(plan('/', { body: '\u00c3\u0028', bodyEncoding: 'latin1' }), new FixturePools(), {}, 0n);
    expect([...request.body!]).toEqual([0xc3, 0x28]);
  });

  it('knows which well-formed positions a query waits for: minPosition and atPosition, each given once', () => {
    expect(positionsAskedBy('/v1/x?minPosition=5&atPosition=9223372036854775807')).toEqual([5n, 9223372036854775807n]);
    expect(positionsAskedBy('/v1/x?min%50osition=5')).toEqual([5n]);
    for (const target of ['/v1/x?minPosition=5&minPosition=6', '/v1/x?minPosition=9223372036854775808', '/v1/x?minPosition=05', '/v1/x?minPosition=%205', '/v1/x']) {
      expect({ target, asked: positionsAskedBy(target) }).toEqual({ target, asked: [] });
    }
  });

  it('learns ids from successful answers, and from a batch only the processes it certified', () => {
    const pools = new FixturePools();
    pools.learnFrom({ processId: 'p-1', subjectId: 's-1', position: '4' });
    pools.learnFrom({ results: [{ processId: 'p-2', status: 'issued', folio: 'F-2' }, { processId: 'p-404', status: 'failed', error: { code: 'PROCESS_NOT_FOUND' } }] });
    pools.learnFrom({ processId: 'p-1' });
    expect(pools.sizes()).toEqual({ processId: 2, folio: 1, subjectId: 1, evaluatorId: 1 });
    expect([pools.pick('processId', 0), pools.pick('processId', 1), pools.pick('processId', 2)]).toEqual(['p-1', 'p-2', 'p-1']);
    expect(() => new FixturePools().pick('folio', 0)).toThrow(/no folio/);
  });
});
