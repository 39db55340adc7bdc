import { DataSource, type DataSourceOptions } from 'typeorm';
import { ensureDatabase } from './ensure-database.js';

export interface StoreOptions {
  databaseUrl: string;
  migrations: NonNullable<DataSourceOptions['migrations']>;
  /** Each service keeps its own migrations table, so services migrate independently. */
  migrationsTableName: string;
  /** Advisory lock id held while migrating, so instances starting together migrate once. */
  migrationLock: number;
  poolSize?: number;
}

/** Connects, creating the database when missing, and runs pending migrations (never `synchronize`). */
export async function openDataSource(options: StoreOptions): Promise<DataSource> {
  await ensureDatabase(options.databaseUrl);
  const dataSource = new DataSource({
    type: 'postgres',
    url: options.databaseUrl,
    // No entities: stores query with SQL through query runners; TypeORM keeps the pool, migrations and transactions.
    entities: [],
    migrations: options.migrations,
    migrationsTableName: options.migrationsTableName,
    migrationsTransactionMode: 'each',
    extra: { max: options.poolSize ?? 10 },
  });
  await dataSource.initialize();
  const runner = dataSource.createQueryRunner();
  await runner.connect();
  try {
    await runner.query('SELECT pg_advisory_lock($1)', [options.migrationLock]);
    await dataSource.runMigrations();
  } finally {
    await runner.query('SELECT pg_advisory_unlock($1)', [options.migrationLock]).catch(() => undefined);
    await runner.release();
  }
  return dataSource;
}
