import { ProjectionGenerations1763720000000 } from './1763720000000-projection-generations';
import { AdvanceCheckpoint1763730000000 } from './1763730000000-advance-checkpoint';
import { ParkedEvents1764590000000 } from './1764590000000-parked-events';
import { LogCheckpoints1764600000000 } from './1764600000000-log-checkpoints';
import { GenerationSettings1764700000000 } from './1764700000000-generation-settings';

/** In order. A migration, once committed, never changes: a new one follows it. */
export const readModelMigrations = [ProjectionGenerations1763720000000, AdvanceCheckpoint1763730000000, ParkedEvents1764590000000, LogCheckpoints1764600000000, GenerationSettings1764700000000];
