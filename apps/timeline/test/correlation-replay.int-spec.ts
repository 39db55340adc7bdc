import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { correlationView, incidentIdFor, renderReplayTable, type IncidentEvent, type ReplayReport } from '@app/domain';
import { STORM_SERVICE_GROUPS, stormEvents } from '../../../test/support/fixtures.js';
import { testEnvironment } from '../../../test/support/environment.js';
import { readStoredViews } from '../src/replay/stored-log.js';
import { publish, runningTimeline, waitUntilConsumed, type Envelope } from './support/timeline-kit.js';

/*
 * `npm run --silent correlation:replay` (the built CLI, a child process) on a log the real timeline stored
 * under the default settings: the database outage storm on 10 November, and on 12 November events that
 * carry every field correlation reads (keys, labels, a retraction, a merge).
 */

const environment = testEnvironment('tl_replay');
const suite = runningTimeline(environment);
const root = fileURLToPath(new URL('../../../', import.meta.url));

const at = (time: string) => `2026-11-12T${time}:00Z`;
const others: Envelope[] = [
  { id: 'pay-down', type: 'alert.triggered', occurredAt: at('08:00'), source: 'alertmanager', service: 'payments', incidentKey: 'INC-PAY', correlationKeys: ['pagerduty:P1'],
    data: { alertName: 'PaymentsDown', fingerprint: 'pay-fp', summary: 'card payments fail', labels: { cluster: 'us-2', alertname: 'PaymentsDown', team: 'pay' } } },
  { id: 'pay-note', type: 'note.added', occurredAt: at('08:05'), source: 'api', service: 'payments', correlationKeys: ['pagerduty:P1'], data: { text: 'card network timeouts' } },
  { id: 'ledger-down', type: 'alert.triggered', occurredAt: at('08:07'), source: 'alertmanager', service: 'ledger', data: { alertName: 'PaymentsDown', labels: { cluster: 'us-2', alertname: 'PaymentsDown' } } },
  { id: 'pay-retract', type: 'event.retracted', occurredAt: at('08:10'), source: 'api', service: 'payments', data: { eventId: 'pay-note', reason: 'wrong incident' } },
  { id: 'pay-resolved', type: 'status.changed', occurredAt: at('09:00'), source: 'api', service: 'payments', incidentKey: 'INC-PAY', data: { status: 'resolved', note: 'network back' } },
  { id: 'ui-declared', type: 'incident.declared', occurredAt: at('08:20'), source: 'api', service: 'ledger-ui', incidentKey: 'INC-UI', data: { title: 'ledger page blank', severity: 'P3' } },
  { id: 'ui-merged', type: 'incident.merged', occurredAt: at('08:30'), source: 'api', service: 'ledger-ui', incidentKey: 'INC-UI', data: { into: 'INC-PAY' } },
];

function replay(args: string[], env: Record<string, string> = {}) {
  const inherited = Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.startsWith('CORRELATION_')));
  const result = spawnSync(process.execPath, ['apps/timeline/dist/cli/correlation-replay.js', ...args], {
    cwd: root,
    encoding: 'utf8',
    env: { ...inherited, DATABASE_URL: environment.databaseUrl, ...env },
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

function replayJson(args: string[], env: Record<string, string> = {}): ReplayReport {
  const { code, stdout, stderr } = replay([...args, '--json'], env);
  expect([code, stderr]).toEqual([0, '']);
  return JSON.parse(stdout) as ReplayReport;
}

/** Everything the timeline stores: a replay must leave it as it was. */
const snapshot = () => suite.kit.sql(`SELECT (SELECT json_agg(e ORDER BY event_id) FROM (SELECT event_id, incident_id FROM events) e) AS events,
  (SELECT json_agg(i ORDER BY id) FROM (SELECT id, merged_into, state, updated_at FROM incidents) i) AS incidents,
  (SELECT json_agg(k ORDER BY key) FROM incident_keys k) AS keys, (SELECT count(*) FROM timeline_outbox) AS outbox`);
let before: unknown;

beforeAll(async () => {
  await publish(suite.kit, [...(stormEvents() as Envelope[]), ...others]);
  await waitUntilConsumed(suite.kit);
  before = await snapshot();
}, 60_000);

const [db, api, checkout, cart, search, billing, indexer] = ['storm-db-down', 'storm-api-errors', 'storm-checkout-failures', 'storm-cart-errors', 'storm-search-timeouts', 'storm-billing-slow', 'storm-indexer-lag'].map((id) => incidentIdFor({ id }));
const stormDay = ['--from', '2026-11-10', '--to', '2026-11-11'];
const none = (notRecorded: number) => ({ p50: null, p90: null, recorded: 0, notRecorded });

test('PostgreSQL sends of each stored event what correlationView keeps of it', async () => {
  const client = new pg.Client({ connectionString: environment.databaseUrl });
  await client.connect();
  try {
    const payloads = new Map((await suite.kit.sql<{ payload: IncidentEvent }>('SELECT payload FROM events')).map(({ payload }) => [payload.id, payload]));
    expect(payloads.size).toBe(23);
    for (const groupLabels of [[], ['cluster', 'alertname'], ['team']]) {
      await client.query('BEGIN READ ONLY');
      const views = await readStoredViews(client, { groupLabels }, { from: null, to: null });
      await client.query('COMMIT');
      expect(new Map(views.map(({ event }) => [event.id, event]))).toEqual(new Map([...payloads].map(([id, payload]) => [id, correlationView(payload, { groupLabels })])));
    }
  } finally {
    await client.end();
  }
});

test('under the settings the log was stored with, nothing would change', () => {
  const report = replayJson([]);
  expect([report.events, report.incidents, report.merged, report.split, report.moved, report.figures.incidents]).toEqual([
    23, { stored: 9, replayed: 9, unchanged: 9 }, [], [], { events: 0, groups: [] }, [],
  ]);
});

test('the storm\'s day with the service groups: exactly the five incidents of the outage merged into one', () => {
  const report = replayJson([...stormDay, '--service-groups', STORM_SERVICE_GROUPS]);
  const alone = (service: string, timeToResolve: number) => ({ service, events: 2, timeToDetect: null, timeToAcknowledge: null, timeToMitigate: null, timeToResolve });
  expect(report).toEqual({
    settings: { marginMinutes: 30, idleMinutes: 240, groupLabels: [], serviceGroups: { 'orders-db': ['postgres-orders', 'orders-api', 'checkout', 'cart', 'search'] } },
    from: '2026-11-10',
    to: '2026-11-11',
    events: 16,
    incidents: { stored: 7, replayed: 3, unchanged: 2 },
    unattached: { stored: 0, replayed: 0 },
    merged: [{ into: db, from: [db, api, checkout, cart, search], events: 12 }],
    split: [],
    moved: {
      events: 8,
      groups: [
        { from: api, to: db, eventIds: ['storm-api-errors', 'storm-api-ok'] },
        { from: checkout, to: db, eventIds: ['storm-checkout-failures', 'storm-checkout-ok'] },
        { from: cart, to: db, eventIds: ['storm-cart-errors', 'storm-cart-ok'] },
        { from: search, to: db, eventIds: ['storm-search-timeouts', 'storm-search-ok'] },
      ],
    },
    figures: {
      unit: 'minutes',
      percentiles: 'nearest-rank',
      incidents: [
        { id: db, stored: { service: 'postgres-orders', events: 4, timeToDetect: null, timeToAcknowledge: 6, timeToMitigate: null, timeToResolve: 25 },
          replayed: { service: 'postgres-orders', events: 12, timeToDetect: null, timeToAcknowledge: 6, timeToMitigate: null, timeToResolve: 31 } },
        { id: api, stored: alone('orders-api', 26), replayed: null },
        { id: checkout, stored: alone('checkout', 26), replayed: null },
        { id: cart, stored: alone('cart', 26), replayed: null },
        { id: search, stored: alone('search', 28), replayed: null },
      ],
      overall: {
        timeToDetect: { stored: none(7), replayed: none(3) },
        timeToAcknowledge: { stored: { p50: 6, p90: 6, recorded: 1, notRecorded: 6 }, replayed: { p50: 6, p90: 6, recorded: 1, notRecorded: 2 } },
        timeToMitigate: { stored: none(7), replayed: none(3) },
        timeToResolve: { stored: { p50: 26, p90: 43, recorded: 7, notRecorded: 0 }, replayed: { p50: 31, p90: 43, recorded: 3, notRecorded: 0 } },
      },
    },
  });
  expect([billing, indexer].every((id) => !JSON.stringify(report.figures).includes(id))).toBe(true);
  // The table is the same report, as people read it; the settings may come from the environment instead.
  const table = replay(stormDay, { CORRELATION_SERVICE_GROUPS: STORM_SERVICE_GROUPS });
  expect([table.code, table.stderr, table.stdout]).toEqual([0, '', renderReplayTable(report)]);
});

test('label keys join alerts of other services; a range without events compares nothing', () => {
  const pay = incidentIdFor({ id: 'pay-down' });
  const ledger = incidentIdFor({ id: 'ledger-down' });
  const labels = replayJson(['--from', '2026-11-12', '--group-labels', 'cluster,alertname']);
  expect([labels.events, labels.merged, labels.moved.groups]).toEqual([7, [{ into: pay, from: [pay, ledger], events: 7 }], [{ from: ledger, to: pay, eventIds: ['ledger-down'] }]]);
  const empty = replayJson(['--to', '2026-11-01', '--margin-minutes', '0', '--idle-minutes', '1']);
  expect([empty.events, empty.incidents, empty.settings.marginMinutes, empty.settings.idleMinutes]).toEqual([0, { stored: 0, replayed: 0, unchanged: 0 }, 0, 1]);
});

test('a bad flag or setting: exit code 1, one line naming it, nothing on stdout', () => {
  expect(replay(['--service-groups', 'orders-db'])).toEqual({ code: 1, stdout: '', stderr: 'correlation:replay: --service-groups="orders-db": "orders-db" is not group=service,service\n' });
  expect(replay(['--margin-minutes', 'soon'])).toEqual({ code: 1, stdout: '', stderr: 'correlation:replay: --margin-minutes="soon": Invalid input: expected number, received NaN\n' });
  expect(replay(['--from', '2026-11-12', '--to', '2026-11-12'])).toEqual({ code: 1, stdout: '', stderr: 'correlation:replay: --to="2026-11-12": must be after --from (2026-11-12)\n' });
  expect(replay([], { CORRELATION_IDLE_MINUTES: '0' })).toEqual({ code: 1, stdout: '', stderr: 'correlation:replay: Invalid configuration: CORRELATION_IDLE_MINUTES="0": Too small: expected number to be >=1\n' });
});

test('nothing stored changed', async () => {
  expect(await snapshot()).toEqual(before);
});
