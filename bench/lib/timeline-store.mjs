// The timeline's database as the benchmarks that work on it in-process need it: migrated by the BUILT
// timeline code, with its TypeORM data source and a plain pg client for filling and checking.
import pg from 'pg';
import { importBuilt } from './services.mjs';

/** Opens both on the run's database; they are closed at the run's cleanup. */
export async function openTimelineStore(env) {
  const { openTimelineDataSource } = await importBuilt('apps/timeline/dist/event-store/data-source.js');
  const dataSource = await openTimelineDataSource(env.databaseUrl, 2);
  env.onCleanup(() => dataSource.destroy());
  const client = new pg.Client({ connectionString: env.databaseUrl });
  client.on('error', () => undefined);
  await client.connect();
  env.onCleanup(() => client.end());
  return { dataSource, client };
}
