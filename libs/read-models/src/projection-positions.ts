import type { EntityManager } from 'typeorm';

type Queryable = Pick<EntityManager, 'query'>;

/**
 * The position every active generation of these projections has folded, read
 * inside the caller's transaction: with REPEATABLE READ the rows it then reads
 * are exactly those folded up to that position.
 */
export async function reachedPosition(manager: Queryable, projections: readonly string[]): Promise<bigint> {
  const [row]: { reached: string | null }[] = await manager.query(
    `SELECT min(checkpoint)::text AS reached FROM read_models.projection_generations
      WHERE status = 'active' AND projection = ANY($1::text[])`,
    [projections],
  );
  return BigInt(row?.reached ?? -1);
}
