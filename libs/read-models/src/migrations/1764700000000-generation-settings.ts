import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * What a generation was built under besides its version (Projection.settings:
 * the findings' thresholds). NULL for a projection without settings, and for
 * every generation built before settings existed.
 */
export class GenerationSettings1764700000000 implements MigrationInterface {
  readonly name = 'GenerationSettings1764700000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE read_models.projection_generations ADD COLUMN settings text`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE read_models.projection_generations DROP COLUMN settings`);
  }
}
