import { correlateLog, correlationSettingsFromEnv, incidentIdFor, parseEvent, type CorrelationSettings, type IncidentEvent } from '@app/domain';
import { lazySql, testEnvironment, waitFor } from '../support/environment.js';
import { npmRun } from '../support/npm-run.js';
import { startStack, type RunningStack } from '../support/stack.js';

/*
 * `npm run rebuild` correlates the stored log again under the settings of now (docs/correlation.md, "Changing
 * the settings"). A database outage stored as four incidents becomes one when CORRELATION_SERVICE_GROUPS puts
 * the database and its dependants in one group, while events keep arriving through the running pipeline;
 * then the group is dropped and the rebuild splits it back, each part under the id it had. Each time the
 * timeline's partition is correlateLog's of the whole stored set, old ids answer as aliases, and the
 * renderer's copies follow (every event in the incident the timeline says, each id reading its own draft).
 */

const environment = testEnvironment('recorrelate');
const db = lazySql(environment.databaseUrl);
const GROUPS = 'orders-db=postgres-orders,orders-api,checkout';
let stack: RunningStack | null = null;

type Envelope = { id: string; type: string; occurredAt: string; source: string; service: string; data: Record<string, unknown> };
const at = (time: string) => `2026-02-10T${time}:00Z`;
const alert = (id: string, service: string, time: string, alertName: string): Envelope => ({ id, type: 'alert.triggered', occurredAt: at(time), source: 'alertmanager', service, data: { alertName, fingerprint: `${id}-fp` } });
const resolution = (of: Envelope, time: string): Envelope => ({ ...of, id: `${of.id}-resolved`, type: 'alert.resolved', occurredAt: at(time) });
const note = (id: string, service: string, time: string): Envelope => ({ id, type: 'note.added', occurredAt: at(time), source: 'api', service, data: { text: `note ${id}` } });

const database = alert('db-down', 'postgres-orders', '10:00', 'DatabaseDown');
const ordersApi = alert('orders-api-errors', 'orders-api', '10:01', 'HighErrors');
const checkout = alert('checkout-errors', 'checkout', '10:02', 'HighErrors');
const billing = alert('billing-lag', 'billing', '10:01', 'InvoiceLag');
const outage = [database, ordersApi, checkout, billing, resolution(database, '10:40'), resolution(ordersApi, '10:35'), resolution(checkout, '10:36'), resolution(billing, '10:20')];
/** What arrives while the rebuild runs: notes the outage's windows take, and alerts of their own. */
const arriving: Envelope[] = Array.from({ length: 40 }, (_, i) => {
  const minute = String(3 + (i % 30)).padStart(2, '0');
  if (i % 4 === 0) return note(`live-${i}`, 'checkout', `10:${minute}`);
  if (i % 4 === 1) return note(`live-${i}`, 'orders-api', `10:${minute}`);
  if (i % 4 === 2) return alert(`live-${i}`, `search-${i}`, `11:${minute}`, 'SearchSlow');
  return note(`live-${i}`, 'billing', `10:${minute}`);
});
const sent: Envelope[] = [];

const asEvents = (envelopes: Envelope[]): IncidentEvent[] =>
  envelopes.map((envelope) => {
    const parsed = parseEvent(envelope);
    if (!parsed.ok) throw new Error(JSON.stringify(parsed.issues));
    return parsed.event;
  });

async function start(groups: string): Promise<void> {
  stack = await startStack(environment, ['ingest', 'timeline', 'renderer'], { LOG_LEVEL: 'warn', CORRELATION_SERVICE_GROUPS: groups });
}

async function stop(): Promise<void> {
  await stack?.close();
  stack = null;
}

async function send(envelopes: Envelope[]): Promise<void> {
  const response = await fetch(`${stack!.ingest}/v1/events`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(envelopes) });
  expect(response.status).toBe(202);
  sent.push(...envelopes);
}

/** `npm run rebuild` as an operator types it, with the services' variables. */
const rebuild = (groups: string) => npmRun('rebuild', { ...environment.env, CORRELATION_SERVICE_GROUPS: groups, LOG_LEVEL: 'warn' });

/** Until every event sent is stored and the outbox has been published. */
async function settled(): Promise<void> {
  await waitFor(async () => {
    const response = await fetch(`${stack!.timeline}/v1/events/lookup`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ ids: sent.map((event) => event.id) }) });
    const { results } = (await response.json()) as { results: { status: string }[] };
    return results.every((result) => result.status === 'attached' || result.status === 'unattached');
  }, 'every event sent stored');
  await waitFor(async () => (await db.sql<{ n: number }>('SELECT count(*)::int AS n FROM timeline_outbox'))[0]!.n === 0, 'the outbox published');
}

type Partition = Record<string, string[]>;
const sortedPartition = (entries: [string, string[]][]): Partition => Object.fromEntries(entries.map(([id, events]): [string, string[]] => [id, [...events].sort()]).sort(([a], [b]) => (a < b ? -1 : 1)));

const expectedPartition = (settings: CorrelationSettings): Partition =>
  sortedPartition(correlateLog(asEvents(sent), settings).incidents.map((incident) => [incident.id, incident.events.map((event) => event.id)]));

async function timelinePartition(): Promise<Partition> {
  const rows = await db.sql<{ incident_id: string; events: string[] }>('SELECT incident_id, array_agg(event_id) AS events FROM events WHERE incident_id IS NOT NULL GROUP BY incident_id');
  return sortedPartition(rows.map((row) => [row.incident_id, row.events]));
}

async function rendererPartition(): Promise<Partition> {
  const rows = await db.sql<{ incident_id: string; events: string[] }>('SELECT incident_id, array_agg(event_id) AS events FROM renderer_events WHERE incident_id IS NOT NULL GROUP BY incident_id');
  return sortedPartition(rows.map((row) => [row.incident_id, row.events]));
}

const getJson = async (url: string) => {
  const response = await fetch(url);
  if (!response.ok) throw new Error(`${url}: ${response.status}`);
  return response.json() as Promise<Record<string, unknown>>;
};

/** The incident the renderer answers for an id or key with (its drafts' incident). */
const rendererIncidentOf = async (ref: string) => (await getJson(`${stack!.renderer}/v1/incidents/${ref}/rca/versions`)).incidentId;

afterAll(async () => {
  await stop();
  await db.end();
  await environment.dropDatabase();
}, 60_000);

const outageId = incidentIdFor(database);
const dependants = [ordersApi, checkout].map((event) => incidentIdFor(event));

test('without groups the outage is four incidents, and the renderer drafts each', async () => {
  await start('');
  await send(outage);
  await settled();
  const ungrouped = correlationSettingsFromEnv({});
  expect(await timelinePartition()).toEqual(expectedPartition(ungrouped));
  expect(Object.keys(await timelinePartition()).sort()).toEqual([outageId, ...dependants, incidentIdFor(billing)].sort());
  await waitFor(async () => JSON.stringify(await rendererPartition()) === JSON.stringify(await timelinePartition()), 'the renderer holding the four incidents');
  for (const id of dependants) expect(await rendererIncidentOf(id)).toBe(id);
}, 120_000);

test('with the database group, a rebuild while events keep arriving makes the outage one incident; the dependants\' ids are its aliases, and the renderer follows', async () => {
  // The documented order: the timeline restarts with the new setting, then the stored log is rebuilt under it.
  await stop();
  await start(GROUPS);
  const running = rebuild(GROUPS);
  for (let i = 0; i < arriving.length; i += 4) await send(arriving.slice(i, i + 4));
  const { code, stdout, stderr } = await running;
  expect(stderr).toBe('');
  expect(code).toBe(0);
  expect(stdout).toMatch(/^re-correlated \d+ events: \d+ incidents \(\d+ new, \d+ joined into others\)/);
  await settled();

  const grouped = correlationSettingsFromEnv({ CORRELATION_SERVICE_GROUPS: GROUPS });
  const partition = await timelinePartition();
  expect(partition).toEqual(expectedPartition(grouped));
  expect(partition[outageId]).toEqual(expect.arrayContaining(['db-down', 'orders-api-errors', 'checkout-errors', 'live-0', 'live-1']));
  for (const id of dependants) {
    expect(partition[id]).toBeUndefined();
    // Read by its old id, a dependant's incident answers with the outage.
    expect(await getJson(`${stack!.timeline}/v1/incidents/${id}`)).toMatchObject({ id: outageId, mergedInto: outageId });
  }
  const state = await getJson(`${stack!.timeline}/v1/incidents/${outageId}`);
  expect(state).toMatchObject({ primaryService: 'postgres-orders', status: 'resolved', resolvedBy: 'alerts' });
  expect(state.services).toEqual(expect.arrayContaining(['orders-api', 'checkout']));

  await waitFor(async () => JSON.stringify(await rendererPartition()) === JSON.stringify(partition), 'the renderer following the new partition');
  for (const id of dependants) expect(await rendererIncidentOf(id)).toBe(outageId);
  const draft = await (await fetch(`${stack!.renderer}/v1/incidents/${outageId}/rca.md`)).text();
  expect(draft).toContain('### Affected Services\n- postgres-orders\n- orders-api\n- checkout\n');
}, 180_000);

test('without the group again, a rebuild splits the outage back: each part under the id it had, and the renderer follows', async () => {
  await stop();
  await start('');
  const { code, stderr } = await rebuild('');
  expect(stderr).toBe('');
  expect(code).toBe(0);
  await settled();

  const partition = await timelinePartition();
  expect(partition).toEqual(expectedPartition(correlationSettingsFromEnv({})));
  for (const id of [outageId, ...dependants]) expect(partition[id]).toBeDefined();
  for (const id of dependants) expect(await getJson(`${stack!.timeline}/v1/incidents/${id}`)).toMatchObject({ id, primaryService: expect.any(String) });
  expect((await getJson(`${stack!.timeline}/v1/incidents/${dependants[0]}`)).mergedInto).toBeUndefined();

  await waitFor(async () => JSON.stringify(await rendererPartition()) === JSON.stringify(partition), 'the renderer following the split');
  // Each part reads its own draft again on the renderer: the alias ended with the split.
  for (const id of dependants) expect(await rendererIncidentOf(id)).toBe(id);
}, 180_000);
