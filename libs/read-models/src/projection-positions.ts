import type { EntityManager } from 'typeorm';

type Queryable = Pick<EntityManager, 'query'>;

/**
 * The position every active generation of these projections has folded, read
 * inside the caller's transaction: with REPEATABLE READ the rows it then reads
 * are exactly those folded up to that position.
 */
export async function reachedPosition(manager: Queryable, projections: readonly string[]): Promise<bigint> {
  const [row]: { reached: string | null }[] = await manager.query(reachedPositionSql('$1', 'reached'), [projections]);
  return BigInt(row?.reached ?? -1);
}

/** The query reachedPosition makes, its projections the text[] parameter `parameter`, the position (text, NULL when none) named `column`. */
export function reachedPositionSql(parameter: string, column: string): string {
  return `SELECT min(checkpoint)::text AS "${column}" FROM read_models.projection_generations
           WHERE status = 'active' AND projection = ANY(${parameter}::text[])`;
}
