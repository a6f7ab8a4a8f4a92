import { projectorOptions } from './projector-options';

describe('projectorOptions', () => {
  it('takes a health port when given one, and none when unset or blank', () => {
    expect(projectorOptions({}).healthPort).toBeUndefined();
    expect(projectorOptions({ PROJECTOR_HEALTH_PORT: '  ' }).healthPort).toBeUndefined();
    expect(projectorOptions({ PROJECTOR_HEALTH_PORT: '3001' }).healthPort).toBe(3001);
  });

  it('refuses a port that is not one, naming the variable', () => {
    for (const wrong of ['0', '65536', '-1', '3001.5', '1e3x', 'http', '30 01', '\u0000']) {
      expect(() => projectorOptions({ PROJECTOR_HEALTH_PORT: wrong })).toThrow(/^PROJECTOR_HEALTH_PORT must be an integer from 1 to 65535$/);
    }
  });
});
