import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Every checkpoint of the verifiable log the ledger ever signed, by tree
 * size. Kept outside the log generations: a rebuild of the tree must end up
 * consistent with these, never replace them. Rows are only ever added.
 */
export class LogCheckpoints1764600000000 implements MigrationInterface {
  readonly name = 'LogCheckpoints1764600000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE read_models.log_checkpoints (
        tree_size bigint PRIMARY KEY CHECK (tree_size >= 0),
        root_hash bytea NOT NULL CHECK (length(root_hash) = 32),
        note text NOT NULL,
        signed_at timestamptz NOT NULL DEFAULT now()
      )`);
    await queryRunner.query(`
      CREATE FUNCTION read_models.refuse_checkpoint_change() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION 'signed checkpoints are never changed or removed';
      END
      $$`);
    await queryRunner.query(`
      CREATE TRIGGER log_checkpoints_append_only BEFORE UPDATE OR DELETE ON read_models.log_checkpoints
        FOR EACH ROW EXECUTE FUNCTION read_models.refuse_checkpoint_change()`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE read_models.log_checkpoints`);
    await queryRunner.query(`DROP FUNCTION read_models.refuse_checkpoint_change()`);
  }
}
