import pg from 'pg';
import { messageOf, serviceUnavailable } from '@app/domain';

const INVALID_CATALOG_NAME = '3D000';

/**
 * Creates the database named in `databaseUrl` when it does not exist yet (INTERFACES.md promises this).
 * The target is tried first: behind PgBouncer or on a managed service the `postgres` maintenance
 * database is often out of reach, and a database created beforehand must then be enough. Only when
 * PostgreSQL answers that the target does not exist is it created through the maintenance database.
 */
export async function ensureDatabase(databaseUrl: string): Promise<void> {
  const target = new pg.Client({ connectionString: databaseUrl });
  const missing = await target.connect().then(
    () => false,
    (error: { code?: string }) => {
      if (error.code !== INVALID_CATALOG_NAME) throw error;
      return true;
    },
  );
  if (!missing) {
    await target.end();
    return;
  }
  await createDatabase(databaseUrl);
}

async function createDatabase(databaseUrl: string): Promise<void> {
  const name = decodeURIComponent(new URL(databaseUrl).pathname.slice(1));
  const maintenance = new URL(databaseUrl);
  maintenance.pathname = '/postgres';
  const client = new pg.Client({ connectionString: maintenance.toString() });
  try {
    await client.connect();
  } catch (error) {
    throw serviceUnavailable(`database "${name}" does not exist and cannot be created: the maintenance database "postgres" is out of reach (${messageOf(error)}); create "${name}" beforehand`, error);
  }
  try {
    await client.query(`CREATE DATABASE ${pg.escapeIdentifier(name)}`).catch((error: { code?: string }) => {
      // Another service may create it at the same moment: that is success too.
      if (error.code !== '42P04' && error.code !== '23505') throw error;
    });
  } finally {
    await client.end();
  }
}
