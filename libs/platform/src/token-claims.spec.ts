import { MEXICAN_STATES } from '@ledger/domain';
import { actorFromClaims, JURISDICTION_CODES, ROLES_IN_TOKENS } from './token-claims';

describe('actorFromClaims', () => {
  const exp = 2_000_000_000;

  it('names the actor of well-formed claims', () => {
    expect(actorFromClaims({ sub: 'user-7', role: 'certifier', org: 'ECE322-18', exp })).toEqual({ id: 'user-7', role: 'certifier', organizationId: 'ECE322-18' });
  });

  it('accepts every role of the domain, the privacy office included', () => {
    expect(ROLES_IN_TOKENS).toEqual(['authority', 'certifier', 'registrar', 'evaluator', 'comptroller', 'privacy']);
    for (const role of ROLES_IN_TOKENS) expect(actorFromClaims({ sub: 'u-1', role, org: 'INAI', exp })).toEqual({ id: 'u-1', role, organizationId: 'INAI' });
  });

  it('scopes a comptroller to the state its jurisdiction claim names, and to the whole country without one', () => {
    expect(actorFromClaims({ sub: 'auditor-qr', role: 'comptroller', org: 'SECOES-QR', jurisdiction: 'QR', exp })).toEqual({
      id: 'auditor-qr',
      role: 'comptroller',
      organizationId: 'SECOES-QR',
      jurisdiction: 'QR',
    });
    expect(actorFromClaims({ sub: 'auditor-1', role: 'comptroller', org: 'SFP', exp })).not.toHaveProperty('jurisdiction');
    expect(JURISDICTION_CODES).toEqual(MEXICAN_STATES.map((state) => state.code));
    expect(JURISDICTION_CODES).toHaveLength(32);
  });

  it.each([['Quintana Roo'], ['qr'], ['DF'], ['XX'], [''], [null], [7], [['QR']], [{ state: 'QR' }]])('refuses a comptroller whose jurisdiction claim is %j, naming the claim', (jurisdiction) => {
    const refusal = actorFromClaims({ sub: 'auditor-1', role: 'comptroller', org: 'SFP', jurisdiction, exp });
    expect(refusal).toEqual(expect.stringContaining('"jurisdiction" claim is not a state code'));
  });

  it('ignores a jurisdiction claim on a role that is not scoped by it', () => {
    expect(actorFromClaims({ sub: 'registrar-1', role: 'registrar', org: 'CECATI-149', jurisdiction: 'QR', exp })).toEqual({
      id: 'registrar-1',
      role: 'registrar',
      organizationId: 'CECATI-149',
    });
    expect(actorFromClaims({ sub: 'registrar-1', role: 'registrar', org: 'CECATI-149', jurisdiction: 'nowhere', exp })).not.toHaveProperty('jurisdiction');
  });

  it('reads the role, organization and jurisdiction from the claims an identity provider is configured to use', () => {
    const names = { role: 'https://ledger.gob.mx/role', organization: 'dependencia', jurisdiction: 'entidad' };
    const claims = { sub: '0b6f1c9e-2d4a-4f5e-9a7b-3c2d1e0f9a8b', 'https://ledger.gob.mx/role': 'comptroller', dependencia: 'SECOES-QR', entidad: 'QR', exp };
    expect(actorFromClaims(claims, names)).toEqual({ id: claims.sub, role: 'comptroller', organizationId: 'SECOES-QR', jurisdiction: 'QR' });
    // The default names mean nothing under another mapping.
    expect(actorFromClaims({ sub: 'u', role: 'comptroller', org: 'SFP', exp }, names)).toEqual(expect.stringContaining('"https://ledger.gob.mx/role"'));
    expect(actorFromClaims({ ...claims, entidad: 'Quintana Roo' }, names)).toEqual(expect.stringContaining('"entidad"'));
    expect(actorFromClaims({ ...claims, dependencia: undefined, org: 'SFP' }, names)).toEqual(expect.stringContaining('"dependencia"'));
  });

  it.each([
    [{ role: 'certifier', org: 'ECE322-18', exp }, 'sub'],
    [{ sub: 'auth0|5f7c8ec7c33c6c004bbafe82', role: 'certifier', org: 'ECE322-18', exp }, 'sub'],
    [{ sub: 42, role: 'certifier', org: 'ECE322-18', exp }, 'sub'],
    [{ sub: 'u', role: 'root', org: 'ECE322-18', exp }, 'role'],
    [{ sub: 'u', role: ['certifier'], org: 'ECE322-18', exp }, 'role'],
    [{ sub: 'u', role: 'Certifier', org: 'ECE322-18', exp }, 'role'],
    [{ sub: 'u', role: 'certifier', org: 'ECE 322', exp }, 'org'],
    [{ sub: 'u', role: 'certifier', org: 'x'.repeat(200), exp }, 'org'],
    [{ sub: 'u', role: 'certifier', org: 322, exp }, 'org'],
    [{ sub: 'u', role: 'certifier', org: 'ECE322-18' }, 'exp'],
  ])('refuses claims %j (%s)', (claims, claim) => {
    expect(actorFromClaims(claims)).toEqual(expect.stringContaining(`"${claim}"`));
  });

  it('never echoes a claim value in its reason', () => {
    const refusal = actorFromClaims({ sub: 'u', role: 'certifier', org: 'SECRET ORG NAME', exp });
    expect(refusal).not.toContain('SECRET');
  });
});
