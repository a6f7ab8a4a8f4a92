import { DataSource } from 'typeorm';
import { readModelMigrations } from './migrations';

/**
 * The TypeORM DataSource the query side reads through: its pool, its
 * migrations, and SQL over the views in `read_models` whose columns each
 * table declares once (src/tables, which the projections build the tables
 * from). No entities: a second declaration of a row is one that drifts. The
 * schema changes only through migrations and the projection runner, never by
 * synchronisation.
 */
export function createReadModelDataSource(connectionString: string, poolSize = 10, migrationsSchema?: string): DataSource {
  // TypeORM keeps its record of migrations in the first schema of the search path; runReadModelMigrations names it.
  const searchPath = migrationsSchema === undefined ? {} : { options: `-c search_path=${migrationsSchema}` };
  return new DataSource({
    type: 'postgres',
    url: connectionString,
    entities: [],
    migrations: readModelMigrations,
    migrationsTableName: 'read_model_migrations',
    synchronize: false,
    logging: false,
    extra: { max: poolSize, application_name: 'ledger-read-side', ...searchPath },
  });
}
