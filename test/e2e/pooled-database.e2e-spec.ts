import pg from 'pg';
import { startStack } from '../support/stack.js';
import { startDatabasePooler } from '../support/database-pooler.js';
import { testEnvironment } from '../support/environment.js';

// "Create the database beforehand" where the `postgres` maintenance database is out of reach (PgBouncer,
// managed databases): the services connect to their own database first and never need the maintenance one.
const environment = testEnvironment('pooled');
const direct = new URL(environment.databaseUrl);
const databaseName = direct.pathname.slice(1);
let pooler: Awaited<ReturnType<typeof startDatabasePooler>>;

const throughPooler = (database: string) => {
  const url = new URL(environment.databaseUrl);
  url.host = `127.0.0.1:${pooler.port}`;
  url.pathname = `/${database}`;
  return url.toString();
};

// PgBouncer answers 08P01 "no such database" for any database it does not serve; a managed service that
// revokes CONNECT on `postgres` answers 42501 there and, like PostgreSQL, 3D000 for a missing database.
const pgBouncer = (database: string) => (database === databaseName ? null : { code: '08P01', message: `no such database: ${database}` });
const managed = (database: string) =>
  database === 'postgres'
    ? { code: '42501', message: 'permission denied for database "postgres"' }
    : database === databaseName
      ? null
      : { code: '3D000', message: `database "${database}" does not exist` };
let refuse = pgBouncer;

beforeAll(async () => {
  pooler = await startDatabasePooler({ host: direct.hostname, port: Number(direct.port || 5432) }, (database) => refuse(database));
});

afterAll(async () => {
  await pooler?.close();
  await environment.dropDatabase();
});

test('a database created beforehand is enough: timeline and renderer start without touching the maintenance database', async () => {
  const maintenance = new URL(environment.databaseUrl);
  maintenance.pathname = '/postgres';
  const admin = new pg.Client({ connectionString: maintenance.toString() });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${pg.escapeIdentifier(databaseName)}`);
  await admin.end();

  const stack = await startStack(environment, ['timeline', 'renderer'], { LOG_LEVEL: 'warn', DATABASE_URL: throughPooler(databaseName) });
  try {
    expect((await fetch(`${stack.timeline}/health/ready`)).status).toBe(200);
    expect((await fetch(`${stack.renderer}/health/ready`)).status).toBe(200);
    expect(pooler.refused).toEqual([]);
  } finally {
    await stack.close();
  }
});

test('a missing database where the maintenance database is out of reach stops start-up with a line that says to create it', async () => {
  refuse = managed;
  await expect(startStack(environment, ['timeline'], { LOG_LEVEL: 'warn', DATABASE_URL: throughPooler('aftermath_missing_db') })).rejects.toThrow(
    /database "aftermath_missing_db" does not exist and cannot be created: the maintenance database "postgres" is out of reach .*create "aftermath_missing_db" beforehand/,
  );
  expect(pooler.refused).toEqual(['aftermath_missing_db', 'postgres']);
});
