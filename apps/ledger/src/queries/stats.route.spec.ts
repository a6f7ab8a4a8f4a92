import { parse } from 'node:querystring';
import type { PipeTransform } from '@nestjs/common';
import { StatsQueryReader } from './stats.route';

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

describe('StatsQueryReader: the stats queries the fast lane answers itself', () => {
  it('reads a query as the controller does: dimensions in order, the filters alone', async () => {
    const reader = new StatsQueryReader(parse, standInPipe());
    const reading = await reader.read('groupBy=state,standard&state=BC&issuedFrom=2018-01-01');
    expect(reading?.groupBy).toEqual(['state', 'standard']);
    expect(reading?.filters).toMatchObject({ state: 'BC', issuedFrom: '2018-01-01' });
    expect(Object.keys(reading?.filters ?? {})).not.toContain('groupBy');
    expect(await reader.read('')).toEqual({ groupBy: [], filters: expect.any(Object) });
  });

  it('leaves to Nest what the pipe or parseGroupBy refuses, and a request that waits for a position', async () => {
    const reader = new StatsQueryReader(parse, standInPipe());
    for (const query of ['groupBy=color', 'groupBy=state,state', 'curp=PERJ750914HBCXZN39', 'groupBy=state&groupBy=standard', 'minPosition=12']) {
      expect([query, await reader.read(query)]).toEqual([query, undefined]);
    }
  });

  it('reads each query string once, keeps the reading frozen, and keeps at most a thousand', async () => {
    const pipe = standInPipe();
    const reader = new StatsQueryReader(parse, pipe);
    const first = await reader.read('groupBy=state');
    expect(await reader.read('groupBy=state')).toBe(first);
    expect(await reader.read('limit=5')).toBeUndefined();
    expect(await reader.read('limit=5')).toBeUndefined();
    expect(pipe.calls).toBe(2);
    expect(Object.isFrozen(first) && Object.isFrozen(first?.groupBy) && Object.isFrozen(first?.filters)).toBe(true);
    for (let n = 0; n < 1_000; n += 1) await reader.read(`groupBy=state&state=S${n}`);
    expect(pipe.calls).toBe(1_002);
    await reader.read('groupBy=state');
    expect(pipe.calls).toBe(1_003);
  });
});
