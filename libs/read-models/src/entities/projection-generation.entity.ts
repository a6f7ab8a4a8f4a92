import { Column, Entity, PrimaryColumn } from 'typeorm';

/** `read_models.projection_generations`: which copy of each projection queries read, and how far each copy got. */
@Entity({ schema: 'read_models', name: 'projection_generations', synchronize: false })
export class ProjectionGenerationEntity {
  @PrimaryColumn({ type: 'integer' }) id: number;
  @Column({ type: 'text' }) projection: string;
  @Column({ type: 'integer' }) version: number;
  @Column({ name: 'schema_name', type: 'text' }) schemaName: string;
  @Column({ type: 'text' }) status: string;
  @Column({ type: 'bigint' }) checkpoint: string;
  @Column({ name: 'updated_at', type: 'timestamptz' }) updatedAt: Date;
}
