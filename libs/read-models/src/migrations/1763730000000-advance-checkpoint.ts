import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Moves a generation's checkpoint inside a batch's transaction, or fails the
 * statement (and so the transaction) when the generation is not where the
 * runner believes it is, or is no longer fed (a switch retired it). Failing
 * in SQL matters: the runner queues a batch's writes, this, and COMMIT
 * without waiting in between, and COMMIT after a failed statement rolls
 * back; a checkpoint update that merely matched no row would let the rows commit alone.
 */
export class AdvanceCheckpoint1763730000000 implements MigrationInterface {
  readonly name = 'AdvanceCheckpoint1763730000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE FUNCTION read_models.advance_checkpoint(generation integer, from_position bigint, to_position bigint)
        RETURNS void LANGUAGE plpgsql AS $$
      BEGIN
        UPDATE read_models.projection_generations SET checkpoint = to_position, updated_at = now()
         WHERE id = generation AND checkpoint = from_position AND status IN ('active', 'building');
        IF NOT FOUND THEN
          RAISE EXCEPTION 'generation % is not at checkpoint % or is no longer fed', generation, from_position
            USING ERRCODE = 'LD001';
        END IF;
      END
      $$`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP FUNCTION read_models.advance_checkpoint(integer, bigint, bigint)`);
  }
}
