import { HolderNameEntity } from './holder-name.entity';
import { ProjectionGenerationEntity } from './projection-generation.entity';
import { EvaluatorAccreditationEntity, ProviderEntity, StandardEntity } from './registry.entities';

export * from './holder-name.entity';
export * from './projection-generation.entity';
export * from './registry.entities';

/** Every read-model entity, for the DataSource. */
export const readModelEntities = [
  HolderNameEntity,
  ProjectionGenerationEntity,
  StandardEntity,
  ProviderEntity,
  EvaluatorAccreditationEntity,
];
