import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Events a projection could not fold, set aside so that the projection goes
 * on: one row per generation and position, with the error and when it
 * failed. A row is written in the same transaction that moves the
 * generation's checkpoint past the event, so an event is either folded,
 * parked, or still ahead, never lost or counted twice. An operator asks for
 * a replay (`replay_requested_at`) after a fix; the feeder refolds the event
 * and deletes the row in one transaction, or records the new failure.
 */
export class ParkedEvents1764590000000 implements MigrationInterface {
  readonly name = 'ParkedEvents1764590000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE read_models.parked_events (
        generation_id integer NOT NULL REFERENCES read_models.projection_generations (id),
        projection text NOT NULL,
        position bigint NOT NULL,
        event_id text NOT NULL,
        event_type text NOT NULL,
        stream_id text NOT NULL,
        error text NOT NULL,
        attempts integer NOT NULL,
        first_failed_at timestamptz NOT NULL,
        last_failed_at timestamptz NOT NULL,
        parked_at timestamptz NOT NULL DEFAULT now(),
        replay_requested_at timestamptz,
        PRIMARY KEY (generation_id, position)
      )`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE read_models.parked_events`);
  }
}
