import { actorFromClaims } from './token-claims';

describe('actorFromClaims', () => {
  const exp = 2_000_000_000;

  it('names the actor of well-formed claims', () => {
    expect(actorFromClaims({ sub: 'user-7', role: 'certifier', org: 'ECE322-18', exp })).toEqual({ id: 'user-7', role: 'certifier', organizationId: 'ECE322-18' });
  });

  it.each([
    [{ role: 'certifier', org: 'ECE322-18', exp }, 'sub'],
    [{ sub: 'u', role: 'root', org: 'ECE322-18', exp }, 'role'],
    [{ sub: 'u', role: 'certifier', org: 'ECE 322', exp }, 'org'],
    [{ sub: 'u', role: 'certifier', org: 'x'.repeat(200), exp }, 'org'],
    [{ sub: 'u', role: 'certifier', org: 'ECE322-18' }, 'exp'],
  ])('refuses claims %j (%s)', (claims, claim) => {
    expect(actorFromClaims(claims)).toEqual(expect.stringContaining(`"${claim}"`));
  });
});
