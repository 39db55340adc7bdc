import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startStack } from '../support/stack.js';
import { startDatabasePooler } from '../support/database-pooler.js';
import { testEnvironment } from '../support/environment.js';

// PostgreSQL TLS is configured in DATABASE_URL alone (docs/operations.md): sslmode and sslrootcert reach pg both
// in the services' pools (TypeORM) and in the start-up check that creates the database. The test server speaks
// TLS the way PostgreSQL with `ssl = on` does, in front of the shared (plain) PostgreSQL.
const environment = testEnvironment('pgtls');
const direct = new URL(environment.databaseUrl);
const folder = mkdtempSync(join(tmpdir(), 'aftermath-pgtls-'));
let pooler: Awaited<ReturnType<typeof startDatabasePooler>>;

/** A self-signed certificate for 127.0.0.1, which is its own CA. */
function certificate(name: string): { key: string; cert: string; certFile: string } {
  const keyFile = join(folder, `${name}.key`);
  const certFile = join(folder, `${name}.pem`);
  execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '1', '-subj', `/CN=${name}`, '-addext', 'subjectAltName=IP:127.0.0.1', '-keyout', keyFile, '-out', certFile], { stdio: 'ignore' });
  return { key: readFileSync(keyFile, 'utf8'), cert: readFileSync(certFile, 'utf8'), certFile };
}

const server = certificate('aftermath-test-db');
const stranger = certificate('someone-else');

const overTls = (query: string) => {
  const url = new URL(environment.databaseUrl);
  url.host = `127.0.0.1:${pooler.port}`;
  url.search = query;
  return url.toString();
};

beforeAll(async () => {
  pooler = await startDatabasePooler({ host: direct.hostname, port: Number(direct.port || 5432) }, () => null, { key: server.key, cert: server.cert });
});

afterAll(async () => {
  await pooler?.close();
  await environment.dropDatabase();
  rmSync(folder, { recursive: true, force: true });
});

test('sslmode=verify-full with sslrootcert: the database is created and the services run over TLS', async () => {
  const stack = await startStack(environment, ['timeline', 'renderer'], { LOG_LEVEL: 'error', DATABASE_URL: overTls(`?sslmode=verify-full&sslrootcert=${server.certFile}`) });
  try {
    expect((await fetch(`${stack.timeline}/health/ready`)).status).toBe(200);
    expect((await fetch(`${stack.renderer}/health/ready`)).status).toBe(200);
    expect(((await (await fetch(`${stack.timeline}/v1/incidents`)).json()) as { items: unknown[] }).items).toEqual([]);
  } finally {
    await stack.close();
  }
  expect(pooler.tlsClients()).toBeGreaterThanOrEqual(3); // the creation check and each service's pool
});

test('a server certificate the CA did not sign stops start-up', async () => {
  await expect(startStack(environment, ['timeline'], { LOG_LEVEL: 'error', DATABASE_URL: overTls(`?sslmode=verify-full&sslrootcert=${stranger.certFile}`) })).rejects.toThrow(/self[- ]signed certificate|unable to verify/);
});
