import { testEnvironment } from '../../../test/support/environment.js';
import { getJson, publish, waitUntilConsumed, runningTimeline, type Envelope } from './support/timeline-kit.js';

/*
 * GET /v1/analytics/incidents on the running timeline: four incidents whose figures are worked out by hand
 * below (nearest-rank percentiles), grouped four ways, as JSON and CSV, with a date range.
 */

const environment = testEnvironment('tl_analytics');
const suite = runningTimeline(environment);

let n = 0;
function at(day: string, clock: string, type: string, key: string, service: string, data: Record<string, unknown> = {}): Envelope {
  n += 1;
  return { id: `an-${n}`, type, occurredAt: `2025-${day}T${clock}:00Z`, source: 'test', service, incidentKey: key, data };
}
const alert = { alertName: 'A' };

// X1 pay, Payments, P2, June: detect 10, acknowledge 5, mitigate 30, resolve 60.
// X2 pay, Payments, P1, June: acknowledge 7, resolve 30 (no impact start, no mitigation).
// X3 pay, no team, P2, July: detect 4, acknowledge 3, resolve 90.
// X4 search, no team, no severity, June: acknowledge 12.
const logs: Record<string, Envelope[]> = {
  X1: [
    at('06-12', '10:00', 'impact.started', 'X1', 'pay'),
    at('06-12', '10:10', 'alert.triggered', 'X1', 'pay', alert),
    at('06-12', '10:11', 'incident.declared', 'X1', 'pay', { team: 'Payments', severity: 'P2' }),
    at('06-12', '10:15', 'page.acknowledged', 'X1', 'pay'),
    at('06-12', '10:40', 'mitigation.applied', 'X1', 'pay', { action: 'rollback' }),
    at('06-12', '11:10', 'status.changed', 'X1', 'pay', { status: 'resolved' }),
  ],
  X2: [
    at('06-12', '12:00', 'alert.triggered', 'X2', 'pay', alert),
    at('06-12', '12:01', 'incident.declared', 'X2', 'pay', { team: 'Payments', severity: 'P1' }),
    at('06-12', '12:07', 'page.acknowledged', 'X2', 'pay'),
    at('06-12', '12:30', 'status.changed', 'X2', 'pay', { status: 'resolved' }),
  ],
  X3: [
    at('07-01', '08:56', 'impact.started', 'X3', 'pay'),
    at('07-01', '09:00', 'alert.triggered', 'X3', 'pay', alert),
    at('07-01', '09:01', 'severity.changed', 'X3', 'pay', { severity: 'P2' }),
    at('07-01', '09:03', 'page.acknowledged', 'X3', 'pay'),
    at('07-01', '10:30', 'status.changed', 'X3', 'pay', { status: 'resolved' }),
  ],
  X4: [at('06-30', '23:50', 'alert.triggered', 'X4', 'search', alert), at('07-01', '00:02', 'page.acknowledged', 'X4', 'search')],
};

const base = () => `${suite.stack.timeline}/v1/analytics/incidents`;
const ids: Record<string, string> = {};

beforeAll(async () => {
  for (const log of Object.values(logs)) {
    await publish(suite.kit, log);
    await waitUntilConsumed(suite.kit);
  }
  for (const key of Object.keys(logs)) ids[key] = (await getJson(`${suite.stack.timeline}/v1/incidents/${key}`)).id;
}, 60_000);

test('per service: the counts and p50/p90 worked out by hand, each with the incidents behind it', async () => {
  const { X1, X2, X3, X4 } = ids as Record<'X1' | 'X2' | 'X3' | 'X4', string>;
  const body = await getJson(`${base()}?groupBy=service`);
  expect(body).toMatchObject({ groupBy: 'service', from: null, to: null, unit: 'minutes', percentiles: 'nearest-rank' });
  expect(body.groups).toEqual([
    {
      group: 'pay',
      incidents: 3,
      incidentIds: [X1, X2, X3].sort(),
      figures: {
        timeToDetect: { p50: 4, p90: 10, p50IncidentId: X3, p90IncidentId: X1, incidentIds: [X3, X1], notRecorded: 1 },
        timeToAcknowledge: { p50: 5, p90: 7, p50IncidentId: X1, p90IncidentId: X2, incidentIds: [X3, X1, X2], notRecorded: 0 },
        timeToMitigate: { p50: 30, p90: 30, p50IncidentId: X1, p90IncidentId: X1, incidentIds: [X1], notRecorded: 2 },
        timeToResolve: { p50: 60, p90: 90, p50IncidentId: X1, p90IncidentId: X3, incidentIds: [X2, X1, X3], notRecorded: 0 },
      },
    },
    {
      group: 'search',
      incidents: 1,
      incidentIds: [X4],
      figures: {
        timeToDetect: { p50: null, p90: null, p50IncidentId: null, p90IncidentId: null, incidentIds: [], notRecorded: 1 },
        timeToAcknowledge: { p50: 12, p90: 12, p50IncidentId: X4, p90IncidentId: X4, incidentIds: [X4], notRecorded: 0 },
        timeToMitigate: { p50: null, p90: null, p50IncidentId: null, p90IncidentId: null, incidentIds: [], notRecorded: 1 },
        timeToResolve: { p50: null, p90: null, p50IncidentId: null, p90IncidentId: null, incidentIds: [], notRecorded: 1 },
      },
    },
  ]);
});

test('by team, severity and month, within a date range', async () => {
  const groups = async (query: string) => (await getJson(`${base()}?${query}`)).groups.map((g: { group: string | null; incidents: number }) => [g.group, g.incidents]);
  expect(await groups('groupBy=team')).toEqual([['Payments', 2], [null, 2]]);
  expect(await groups('groupBy=severity')).toEqual([['P1', 1], ['P2', 2], [null, 1]]);
  expect(await groups('groupBy=month')).toEqual([['2025-06', 3], ['2025-07', 1]]);
  expect(await groups('groupBy=month&from=2025-06-13&to=2025-07-01')).toEqual([['2025-06', 1]]);
  expect(await groups('groupBy=month&from=2025-07-01T00:00:00Z')).toEqual([['2025-07', 1]]);
});

test('CSV with Accept: text/csv, and a 400 naming a bad parameter', async () => {
  const response = await fetch(`${base()}?groupBy=service`, { headers: { accept: 'text/csv' } });
  expect(response.headers.get('content-type')).toMatch(/^text\/csv/);
  const lines = (await response.text()).split('\r\n');
  expect(lines[0]).toMatch(/^service,incidents,time_to_detect_p50,time_to_detect_p90,/);
  expect(lines[1]!.split(',').slice(0, 8)).toEqual(['pay', '3', '4', '10', ids.X3, ids.X1, '2', '1']);
  const bad = await fetch(`${base()}?groupBy=weekday`);
  expect(bad.status).toBe(400);
  expect(JSON.stringify(await bad.json())).toContain('groupBy');
});
