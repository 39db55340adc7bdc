import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { messageOf } from '@app/domain';

export const KAFKA_BROKERS = process.env.KAFKA_BROKERS ?? '127.0.0.1:9092';
const BASE_DATABASE_URL = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/aftermath';

/** A topic prefix and database of its own for each test file, so suites never see each other's events. */
export interface TestEnvironment {
  name: string;
  topicPrefix: string;
  databaseUrl: string;
  env: Record<string, string>;
  dropDatabase(): Promise<void>;
}

export function testEnvironment(label: string): TestEnvironment {
  const name = `${label.replace(/[^a-z0-9]/g, '_')}_${randomBytes(4).toString('hex')}`;
  const url = new URL(BASE_DATABASE_URL);
  url.pathname = `/aftermath_test_${name}`;
  const databaseUrl = url.toString();
  const topicPrefix = `test.${name}.`;
  return {
    name,
    topicPrefix,
    databaseUrl,
    env: { KAFKA_BROKERS, KAFKA_TOPIC_PREFIX: topicPrefix, DATABASE_URL: databaseUrl },
    async dropDatabase() {
      const maintenance = new URL(databaseUrl);
      maintenance.pathname = '/postgres';
      const client = new pg.Client({ connectionString: maintenance.toString() });
      await client.connect();
      try {
        await client.query(`DROP DATABASE IF EXISTS ${pg.escapeIdentifier(url.pathname.slice(1))} WITH (FORCE)`);
      } finally {
        await client.end();
      }
    },
  };
}

export async function waitFor<T>(probe: () => Promise<T | null | undefined | false>, what: string, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  for (;;) {
    try {
      const value = await probe();
      if (value) return value;
    } catch (error) {
      lastError = error;
    }
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${lastError ? `: ${messageOf(lastError)}` : ''}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** SQL on a suite's database, connecting on first use (the services create the database at start-up). */
export function lazySql(databaseUrl: string): { sql<T = Record<string, unknown>>(text: string, params?: unknown[]): Promise<T[]>; end(): Promise<void> } {
  let db: pg.Client | null = null;
  return {
    async sql<T>(text: string, params: unknown[] = []) {
      if (!db) {
        const client = new pg.Client({ connectionString: databaseUrl });
        // The suite's teardown drops its database WITH (FORCE), ending this connection if still open.
        client.on('error', () => undefined);
        await client.connect();
        db = client;
      }
      return (await db.query(text, params)).rows as T[];
    },
    async end() {
      await db?.end().catch(() => undefined);
    },
  };
}
