import pg from 'pg';
import { exampleEvents } from '../../../test/support/fixtures.js';
import { startStack, type RunningStack } from '../../../test/support/stack.js';
import { lazySql, testEnvironment, waitFor } from '../../../test/support/environment.js';

/*
 * The renderer under faults: its own database refuses connections for a while (the timeline's keeps
 * running, so incident-timeline.v1 keeps growing). The stuck renderer shows in its lag, which is read
 * from the broker; once the database is back the batch it kept retrying is stored, drafted, and nothing
 * is lost or stored twice.
 */
const environment = testEnvironment('rdr_dbdown');
const rendererUrl = new URL(environment.databaseUrl);
rendererUrl.pathname = `${rendererUrl.pathname}_renderer`;
const rendererDatabase = rendererUrl.pathname.slice(1);
const rendererDb = lazySql(rendererUrl.toString());
let pipeline: RunningStack;
let renderer: RunningStack;
let maintenance: pg.Client;

const allowConnections = async (allowed: boolean) => {
  await maintenance.query(`ALTER DATABASE ${pg.escapeIdentifier(rendererDatabase)} ALLOW_CONNECTIONS ${allowed}`);
  if (!allowed) await maintenance.query('SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()', [rendererDatabase]);
};
const post = (events: unknown) =>
  fetch(`${pipeline.ingest}/v1/events`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(events) });
const versions = async (key: string) => {
  const response = await fetch(`${renderer.renderer}/v1/incidents/${key}/rca/versions`);
  return response.status === 200 ? ((await response.json()) as { versions: { version: number }[] }).versions.map((v) => v.version) : [];
};
const lag = async () => {
  const text = await (await fetch(`${renderer.renderer}/metrics`)).text();
  const lines = text.split('\n').filter((line) => line.startsWith('aftermath_renderer_consumer_lag{'));
  return lines.length === 0 ? null : lines.reduce((sum, line) => sum + Number(line.split(' ').at(-1)), 0);
};

const retries = async () => {
  const line = (await (await fetch(`${renderer.renderer}/metrics`)).text()).split('\n').find((row) => row.startsWith('aftermath_renderer_batch_retries_total'));
  return line === undefined ? 0 : Number(line.split(' ').at(-1));
};

const incident = (n: number) => {
  const event = (id: string, type: string, minute: number, data: Record<string, unknown>) => ({
    id: `rdr-outage-${n}-${id}`,
    type,
    occurredAt: `2025-08-0${n}T10:${String(minute).padStart(2, '0')}:00Z`,
    source: 'api',
    service: `billing-service-${n}`,
    incidentKey: `INC-2025-080${n}-BIL`,
    data,
  });
  return [
    event('declared', 'incident.declared', 0, { severity: 'P2', title: `billing ${n} down` }),
    event('cause', 'root_cause.identified', 10, { summary: `queue ${n} full`, category: 'capacity' }),
    event('resolved', 'status.changed', 30, { status: 'resolved' }),
  ];
};

beforeAll(async () => {
  pipeline = await startStack(environment, ['ingest', 'timeline'], { LOG_LEVEL: 'error' });
  renderer = await startStack(environment, ['renderer'], { LOG_LEVEL: 'error', DATABASE_URL: rendererUrl.toString() });
  const url = new URL(environment.databaseUrl);
  url.pathname = '/postgres';
  maintenance = new pg.Client({ connectionString: url.toString() });
  await maintenance.connect();
});

afterAll(async () => {
  await allowConnections(true).catch(() => undefined);
  await rendererDb.end();
  await renderer?.close();
  await pipeline?.close();
  await maintenance?.query(`DROP DATABASE IF EXISTS ${pg.escapeIdentifier(rendererDatabase)} WITH (FORCE)`).catch(() => undefined);
  await maintenance?.end();
  await environment.dropDatabase();
});

test('a renderer whose database is down shows a growing lag, then catches up: every event stored once, each incident drafted once', async () => {
  expect((await post(exampleEvents())).status).toBe(202);
  await waitFor(async () => ((await versions('INC-2025-0405-ORD')).length === 1 ? true : null), 'the first draft');
  await waitFor(async () => ((await lag()) === 0 ? true : null), 'no lag once the first incident is drafted');

  await allowConnections(false);
  expect((await post([...incident(1), ...incident(2)])).status).toBe(202);
  // The renderer has received the batch and failed on it (it retries rather than skipping it) ...
  await waitFor(async () => ((await retries()) > 0 ? true : null), 'the renderer to fail on the batch and retry it');
  // ... and its lag, read from the broker, shows it is stuck.
  await waitFor(async () => ((await lag())! > 0 ? true : null), 'the stuck renderer to show a lag');
  expect((await fetch(`${renderer.renderer}/health/ready`)).status).toBe(503);

  await allowConnections(true);
  await waitFor(async () => ((await versions('INC-2025-0801-BIL')).length > 0 && (await versions('INC-2025-0802-BIL')).length > 0 ? true : null), 'both drafts after the outage', 60_000);
  await waitFor(async () => ((await lag()) === 0 ? true : null), 'the lag back to zero');

  const stored = await rendererDb.sql<{ total: number }>('SELECT count(*)::int AS total FROM renderer_events');
  expect(stored).toEqual([{ total: exampleEvents().length + 6 }]);
  expect([await versions('INC-2025-0405-ORD'), await versions('INC-2025-0801-BIL'), await versions('INC-2025-0802-BIL')]).toEqual([[1], [1], [1]]);
});
