import { DataSource } from 'typeorm';
import { readModelEntities } from './entities';
import { readModelMigrations } from './migrations';

/**
 * The TypeORM DataSource the query side reads through. Entities map the views
 * in `read_models`; the schema changes only through migrations and the
 * projection runner, never by synchronisation.
 */
export function createReadModelDataSource(connectionString: string, poolSize = 10, migrationsSchema?: string): DataSource {
  // TypeORM keeps its record of migrations in the first schema of the search path; runReadModelMigrations names it.
  const searchPath = migrationsSchema === undefined ? {} : { options: `-c search_path=${migrationsSchema}` };
  return new DataSource({
    type: 'postgres',
    url: connectionString,
    entities: readModelEntities,
    migrations: readModelMigrations,
    migrationsTableName: 'read_model_migrations',
    synchronize: false,
    logging: false,
    extra: { max: poolSize, application_name: 'ledger-read-side', ...searchPath },
  });
}
