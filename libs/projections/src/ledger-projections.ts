import { DEFAULT_FINDING_THRESHOLDS, type FindingThresholds } from '@ledger/platform';
import { auditProjection } from './audit/audit.projection';
import { certificationProjection } from './certification/certification.projection';
import { findingsProjection } from './findings/findings.projection';
import { peopleProjection } from './people/people.projection';
import type { Projection } from './projection';
import { logProjection } from './log/log.projection';
import { programsProjection } from './programs/programs.projection';
import { registryProjection } from './registry/registry.projection';

/** What the ledger's projections are configured with (LedgerConfig has it). */
export interface ProjectionSettings {
  readonly findingThresholds: FindingThresholds;
}

/** Every projection of the ledger, as configured: the runner, the projector app and the rebuild CLI take this list. */
export function ledgerProjectionsFor(settings: ProjectionSettings): readonly Projection[] {
  return [
    registryProjection,
    peopleProjection,
    certificationProjection,
    auditProjection,
    programsProjection,
    findingsProjection(settings.findingThresholds),
    logProjection,
  ];
}

/** The projections under the default configuration (names and versions are the same under any). */
export const ledgerProjections: readonly Projection[] = ledgerProjectionsFor({ findingThresholds: DEFAULT_FINDING_THRESHOLDS });

export function projectionNamed(name: string, projections: readonly Projection[] = ledgerProjections): Projection {
  const projection = projections.find((candidate) => candidate.name === name);
  if (!projection) throw new Error(`No projection named ${name}; known: ${projections.map((p) => p.name).join(', ')}`);
  return projection;
}
