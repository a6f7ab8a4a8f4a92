import { auditProjection } from './audit/audit.projection';
import { certificationProjection } from './certification/certification.projection';
import { peopleProjection } from './people/people.projection';
import type { Projection } from './projection';
import { logProjection } from './log/log.projection';
import { programsProjection } from './programs/programs.projection';
import { registryProjection } from './registry/registry.projection';

/** Every projection of the ledger; the runner, the projector app and the rebuild CLI take this list. */
export const ledgerProjections: readonly Projection[] = [
  registryProjection,
  peopleProjection,
  certificationProjection,
  auditProjection,
  programsProjection,
  logProjection,
];

export function projectionNamed(name: string): Projection {
  const projection = ledgerProjections.find((candidate) => candidate.name === name);
  if (!projection) throw new Error(`No projection named ${name}; known: ${ledgerProjections.map((p) => p.name).join(', ')}`);
  return projection;
}
