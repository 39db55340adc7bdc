import { DataSource } from 'typeorm';
import { ensureDatabase } from '@app/platform';
import { TIMELINE_ENTITIES } from './entities.js';
import { CreateEventStore1764158400000 } from './migrations/1764158400000-create-event-store.js';

const MIGRATION_LOCK = 7_260_001;

export const TIMELINE_MIGRATIONS = [CreateEventStore1764158400000];

/** Connects, creating the database when missing, and runs pending migrations (never `synchronize`). */
export async function openTimelineDataSource(databaseUrl: string, poolSize = 10): Promise<DataSource> {
  await ensureDatabase(databaseUrl);
  const dataSource = new DataSource({
    type: 'postgres',
    url: databaseUrl,
    entities: TIMELINE_ENTITIES,
    migrations: TIMELINE_MIGRATIONS,
    migrationsTableName: 'timeline_migrations',
    migrationsTransactionMode: 'each',
    extra: { max: poolSize },
  });
  await dataSource.initialize();
  // Instances starting together must not run the same migration twice: hold a session lock meanwhile.
  const runner = dataSource.createQueryRunner();
  await runner.connect();
  try {
    await runner.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK]);
    await dataSource.runMigrations();
  } finally {
    await runner.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK]).catch(() => undefined);
    await runner.release();
  }
  return dataSource;
}
