import type { DataSource } from 'typeorm';

/**
 * The holders of these certificates, for a transparency report's chunk: the
 * report's rows name holders but carry no subjectId. A certificate's holder
 * never changes, so reading it outside the report's snapshot is exact.
 * In the report's order; repeats are the access log's to drop.
 */
export async function subjectsOfCertificates(dataSource: DataSource, folios: readonly string[]): Promise<string[]> {
  if (folios.length === 0) return [];
  const rows: { subject_id: string }[] = await dataSource.query(
    `SELECT c.subject_id FROM unnest($1::text[]) WITH ORDINALITY AS f(folio, n)
       JOIN read_models.certificates c ON c.folio = f.folio ORDER BY f.n`,
    [folios],
  );
  return rows.map((row) => row.subject_id);
}
