import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The durable part of the read side: which physical copy (generation) of each
 * projection queries read, and how far each copy has folded the log. The
 * projection tables themselves live in one schema per generation, created by
 * the projection runner from the projection's table definitions, because a
 * blue/green rebuild needs a second copy of them beside the first.
 */
export class ProjectionGenerations1763720000000 implements MigrationInterface {
  readonly name = 'ProjectionGenerations1763720000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE SCHEMA IF NOT EXISTS read_models`);
    await queryRunner.query(`
      CREATE TABLE read_models.projection_generations (
        id serial PRIMARY KEY,
        projection text NOT NULL,
        version integer NOT NULL,
        schema_name text NOT NULL,
        status text NOT NULL CHECK (status IN ('building', 'active', 'retired')),
        checkpoint bigint NOT NULL DEFAULT -1,
        indexed boolean NOT NULL DEFAULT false,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        activated_at timestamptz,
        retired_at timestamptz,
        dropped_at timestamptz
      )`);
    await queryRunner.query(
      `CREATE UNIQUE INDEX projection_generations_one_active ON read_models.projection_generations (projection) WHERE status = 'active'`,
    );
    await queryRunner.query(
      `CREATE UNIQUE INDEX projection_generations_one_building ON read_models.projection_generations (projection) WHERE status = 'building'`,
    );
    // Instants leave the database in the domain's canonical form, whatever the session's time zone.
    await queryRunner.query(`
      CREATE FUNCTION read_models.iso_instant(value timestamptz) RETURNS text
        LANGUAGE sql STABLE PARALLEL SAFE
        AS $$ SELECT to_char(value AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') $$`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP FUNCTION read_models.iso_instant(timestamptz)`);
    await queryRunner.query(`DROP TABLE read_models.projection_generations`);
  }
}
