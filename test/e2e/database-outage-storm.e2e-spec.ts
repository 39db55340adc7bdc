import { readFileSync } from 'node:fs';
import { incidentIdFor, type ReplayReport } from '@app/domain';
import { STORM_SERVICE_GROUPS, stormEvents } from '../support/fixtures.js';
import { testEnvironment, waitFor, type TestEnvironment } from '../support/environment.js';
import { npmRun } from '../support/npm-run.js';
import { runningStack, type RunningStack } from '../support/stack.js';

/*
 * Issue 15's storm through the running pipeline: a database outage and four services that depend on it
 * alerting, interleaved with two unrelated alerts, posted to ingest one event per request. With
 * CORRELATION_SERVICE_GROUPS grouping the database and its dependants the outage is one incident, the
 * dependants listed as affected services; without it, five. `correlation:replay` on the log stored without
 * the setting, given the setting, shows exactly that difference, as docs/correlation.md shows it.
 */

const groupedEnvironment = testEnvironment('storm_grouped');
const plainEnvironment = testEnvironment('storm_plain');
const grouped = runningStack(groupedEnvironment, ['ingest', 'timeline'], { LOG_LEVEL: 'warn', CORRELATION_SERVICE_GROUPS: STORM_SERVICE_GROUPS });
const plain = runningStack(plainEnvironment, ['ingest', 'timeline'], { LOG_LEVEL: 'warn' });

const [db, api, checkout, cart, search, billing, indexer] = ['storm-db-down', 'storm-api-errors', 'storm-checkout-failures', 'storm-cart-errors', 'storm-search-timeouts', 'storm-billing-slow', 'storm-indexer-lag'].map((id) => incidentIdFor({ id }));
const outageServices = ['postgres-orders', 'orders-api', 'checkout', 'cart', 'search'];

interface Incident {
  id: string;
  primaryService: string;
  services: string[];
  status: string;
  eventCount: number;
  durations: { timeToAcknowledgeMinutes: number | null; timeToResolveMinutes: number | null };
}

const getJson = async <T>(url: string): Promise<T> => {
  const response = await fetch(url);
  if (response.status !== 200) throw new Error(`GET ${url}: ${response.status} ${await response.text()}`);
  return (await response.json()) as T;
};

/** Posts the storm, one event per request in the order the tools sent them, and waits until every event is in an incident. */
async function playStorm(stack: RunningStack): Promise<Incident[]> {
  for (const event of stormEvents()) {
    const response = await fetch(`${stack.ingest}/v1/events`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(event) });
    expect(response.status).toBe(202);
  }
  return waitFor(async () => {
    const { items } = await getJson<{ items: Incident[] }>(`${stack.timeline}/v1/incidents?limit=100`);
    return items.reduce((sum, incident) => sum + incident.eventCount, 0) === stormEvents().length ? items : null;
  }, 'every event of the storm in an incident', 60_000);
}

/** Incident id -> its event ids, as the timeline stores them. */
async function partition(stack: RunningStack, incidents: readonly Incident[]): Promise<Map<string, string[]>> {
  const entries = await Promise.all(
    incidents.map(async ({ id }) => [id, (await getJson<{ events: { id: string }[] }>(`${stack.timeline}/v1/incidents/${id}/events`)).events.map((event) => event.id)] as const),
  );
  return new Map([...entries].sort(([a], [b]) => (a < b ? -1 : 1)));
}

const byId = (incidents: readonly Incident[]) => new Map(incidents.map((incident) => [incident.id, incident]));
const replay = (environment: TestEnvironment, args: string[]) => npmRun('correlation:replay', { DATABASE_URL: environment.databaseUrl }, args);

let groupedIncidents: Incident[];
let plainIncidents: Incident[];

beforeAll(async () => {
  [groupedIncidents, plainIncidents] = await Promise.all([playStorm(grouped), playStorm(plain)]);
}, 120_000);

test('with the database and its dependants grouped: one incident for the outage, listing them as affected, and the two unrelated ones', () => {
  expect(groupedIncidents.map((incident) => incident.id).sort()).toEqual([db, billing, indexer].sort());
  const outage = byId(groupedIncidents).get(db)!;
  expect([outage.primaryService, outage.services, outage.eventCount, outage.status]).toEqual(['postgres-orders', outageServices, 12, 'resolved']);
  expect([outage.durations.timeToAcknowledgeMinutes, outage.durations.timeToResolveMinutes]).toEqual([6, 31]);
  expect([billing, indexer].map((id) => byId(groupedIncidents).get(id)!.services)).toEqual([['billing'], ['search-indexer']]);
});

test('without the setting: five incidents for the outage, one per service, and the two unrelated ones', () => {
  expect(plainIncidents.map((incident) => incident.id).sort()).toEqual([db, api, checkout, cart, search, billing, indexer].sort());
  expect([db, api, checkout, cart, search].map((id) => byId(plainIncidents).get(id)!.services)).toEqual(outageServices.map((service) => [service]));
});

test('correlation:replay on the log stored without the setting, given it, shows exactly that difference: five merged into one', async () => {
  const { code, stdout, stderr } = await replay(plainEnvironment, ['--service-groups', STORM_SERVICE_GROUPS, '--json']);
  expect([code, stderr]).toEqual([0, '']);
  const report = JSON.parse(stdout) as ReplayReport;
  expect([report.incidents, report.merged, report.split]).toEqual([{ stored: 7, replayed: 3, unchanged: 2 }, [{ into: db, from: [db, api, checkout, cart, search], events: 12 }], []]);

  // The stored partition of the run without the setting, with the replay's moves applied, is the partition the run with it stored.
  const replayed = await partition(plain, plainIncidents);
  for (const move of report.moved.groups) {
    replayed.set(move.from!, replayed.get(move.from!)!.filter((id) => !move.eventIds.includes(id)));
    replayed.set(move.to!, [...replayed.get(move.to!)!, ...move.eventIds]);
  }
  const expected = await partition(grouped, groupedIncidents);
  expect(new Map([...replayed].filter(([, events]) => events.length > 0).map(([id, events]) => [id, [...events].sort()]))).toEqual(
    new Map([...expected].map(([id, events]) => [id, [...events].sort()])),
  );
  // Its figures are the ones the run with the setting stored.
  const outage = byId(groupedIncidents).get(db)!;
  expect(report.figures.incidents[0]).toMatchObject({ id: db, replayed: { service: 'postgres-orders', events: 12, timeToAcknowledge: outage.durations.timeToAcknowledgeMinutes, timeToResolve: outage.durations.timeToResolveMinutes } });
});

test('the table it prints is the one docs/correlation.md shows, and on the grouped run\'s log the same setting changes nothing', async () => {
  const docs = readFileSync(new URL('../../docs/correlation.md', import.meta.url), 'utf8');
  const command = `$ npm run --silent correlation:replay -- --service-groups '${STORM_SERVICE_GROUPS}'\n`;
  const shown = docs.slice(docs.indexOf(command) + command.length, docs.indexOf('```', docs.indexOf(command)));
  expect(await replay(plainEnvironment, ['--service-groups', STORM_SERVICE_GROUPS])).toEqual({ code: 0, stdout: shown, stderr: '' });
  const steady = await replay(groupedEnvironment, ['--service-groups', STORM_SERVICE_GROUPS, '--json']);
  const report = JSON.parse(steady.stdout) as ReplayReport;
  expect([report.incidents, report.merged, report.split, report.moved.events]).toEqual([{ stored: 3, replayed: 3, unchanged: 3 }, [], [], 0]);
});
