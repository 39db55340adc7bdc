import type { DataSource } from 'typeorm';
import { ADVISORY_LOCKS, openDataSource } from '@app/platform';
import { CreateNotifierStore1765600000000 } from './migrations/1765600000000-create-notifier-store.js';

export const openNotifierDataSource = (databaseUrl: string, poolSize = 5): Promise<DataSource> =>
  openDataSource({
    databaseUrl,
    poolSize,
    migrations: [CreateNotifierStore1765600000000],
    migrationsTableName: 'notifier_migrations',
    migrationLock: ADVISORY_LOCKS.notifierMigrations,
  });
