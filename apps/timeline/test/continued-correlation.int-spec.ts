import { correlateLog, parseEvent, parseServiceGroups, project, type IncidentEvent } from '@app/domain';
import { testEnvironment } from '../../../test/support/environment.js';
import { getJson, metric, publish, runningTimeline, waitUntilConsumed, type Envelope } from './support/timeline-kit.js';

/*
 * A batch that comes after everything stored of the incidents and services it reaches is correlated from
 * their snapshots and folded onto their stored states, without reading their events; anything a snapshot
 * cannot answer for goes the long way, from the events. Either way the store must hold exactly what
 * correlating and projecting the whole log gives: the incidents, their states and their snapshots.
 */

const GROUPS = 'payments=payments-api,payments-db';
const environment = testEnvironment('tl_continued');
const suite = runningTimeline(environment, { CORRELATION_SERVICE_GROUPS: GROUPS });

const at = (minute: number) => new Date(Date.UTC(2026, 3, 5, 10) + minute * 60_000).toISOString();
const alert = (id: string, minute: number, extra: Record<string, unknown> = {}): Envelope => ({
  id, type: 'alert.triggered', occurredAt: at(minute), source: 'test', service: 'checkout', data: { alertName: `Saturation-${id}`, fingerprint: `fp-${id}` }, ...extra,
});
const note = (id: string, minute: number, extra: Record<string, unknown> = {}): Envelope => ({
  id, type: 'note.added', occurredAt: at(minute), source: 'test', service: 'checkout', data: { text: `note ${id}` }, ...extra,
});

const sent: Envelope[] = [];
async function send(events: Envelope[]): Promise<{ snapshots: number; events: number }> {
  const before = await counts();
  sent.push(...events);
  await publish(suite.kit, events);
  await waitUntilConsumed(suite.kit);
  const after = await counts();
  return { snapshots: after.snapshots - before.snapshots, events: after.events - before.events };
}

// A publish is usually one transaction, but the consumer may take it in two: count kinds, not transactions.
function expectCorrelatedFrom(kind: 'snapshots' | 'events', counted: { snapshots: number; events: number }): void {
  expect({ snapshots: counted.snapshots > 0, events: counted.events > 0 }).toEqual({ snapshots: kind === 'snapshots', events: kind === 'events' });
}

async function counts() {
  return {
    snapshots: await metric(suite.stack.timeline!, 'aftermath_timeline_correlations_total', { from: 'snapshots' }),
    events: await metric(suite.stack.timeline!, 'aftermath_timeline_correlations_total', { from: 'events' }),
  };
}

const parsed = (envelopes: Envelope[]): IncidentEvent[] =>
  envelopes.map((envelope) => {
    const result = parseEvent(envelope);
    if (!result.ok) throw new Error(JSON.stringify(result.issues));
    return result.event;
  });

/** The store against the whole log correlated and projected from scratch: placements, states, snapshots. */
async function expectStoreIsTheWholeLog(): Promise<void> {
  const whole = correlateLog(parsed(sent), { serviceGroups: parseServiceGroups(GROUPS) });
  const rows = await suite.kit.sql<{ id: string; state: unknown; correlation: unknown }>('SELECT id, state, correlation FROM incidents WHERE merged_into IS NULL ORDER BY first_event_at, id');
  expect(rows.map((row) => row.id)).toEqual(whole.incidents.map((incident) => incident.id));
  for (const incident of whole.incidents) {
    const row = rows.find((candidate) => candidate.id === incident.id)!;
    expect(row.state).toEqual(JSON.parse(JSON.stringify(project(incident.id, incident.events))));
    expect(row.correlation).toEqual(incident.snapshot);
  }
  const placed = await suite.kit.sql<{ event_id: string; incident_id: string | null }>('SELECT event_id, incident_id FROM events');
  const expected = new Map<string, string | null>(whole.unattached.map((event) => [event.id, null]));
  for (const incident of whole.incidents) for (const event of incident.events) expected.set(event.id, incident.id);
  expect(new Map(placed.map((row) => [row.event_id, row.incident_id]))).toEqual(expected);
}

test('an alert storm sent in order is correlated from snapshots, batch after batch, into what the whole log gives', async () => {
  expectCorrelatedFrom('snapshots', await send([alert('storm-0', 0, { incidentKey: 'STORM' })]));
  for (let batch = 0; batch < 8; batch += 1) {
    const events = Array.from({ length: 25 }, (_, i) => {
      const n = batch * 25 + i + 1;
      if (n % 10 === 0) return { ...alert(`storm-${n - 5}`, n / 10), id: `storm-ok-${n}`, type: 'alert.resolved', incidentKey: 'STORM' };
      return n % 7 === 0 ? note(`storm-note-${n}`, n / 10, { incidentKey: 'STORM' }) : alert(`storm-${n}`, n / 10, { incidentKey: 'STORM' });
    });
    expectCorrelatedFrom('snapshots', await send(events));
  }
  await expectStoreIsTheWholeLog();
  // A re-projection (POST /v1/admin/rebuild) moves no event: the snapshots still hold, and are used.
  await getJson(`${suite.stack.timeline}/v1/admin/rebuild`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
  expectCorrelatedFrom('snapshots', await send([note('after-rebuild', 30, { incidentKey: 'STORM' })]));
  await expectStoreIsTheWholeLog();
}, 120_000);

test('what a snapshot cannot answer for is correlated from the events, and the store is still the whole log', async () => {
  // An event before the storm's latest one: the projection must be folded again in event-time order.
  expectCorrelatedFrom('events', await send([note('late-note', 5, { incidentKey: 'STORM' })]));
  // A note with no incident near it waits unattached (continued: nothing stored reaches it) ...
  expectCorrelatedFrom('snapshots', await send([note('waiting-note', 600)]));
  // ... and the alert whose window takes it must move a stored event: from the events.
  expectCorrelatedFrom('events', await send([alert('takes-the-note', 610)]));
  // A retraction stored before the event it names waits for it; the event then brings it along.
  expectCorrelatedFrom('events', await send([{ id: 'retracts-early', type: 'event.retracted', occurredAt: at(700), source: 'test', service: 'checkout', incidentKey: 'LATER', data: { eventId: 'retracted-later', reason: 'sent twice' } }]));
  expectCorrelatedFrom('events', await send([alert('retracted-later', 720, { incidentKey: 'LATER' })]));
  // Back in order: continued again.
  expectCorrelatedFrom('snapshots', await send([note('in-order-again', 730, { incidentKey: 'LATER' })]));
  await expectStoreIsTheWholeLog();
}, 120_000);

test('an incident merged by a person is correlated from its events from then on', async () => {
  await send([alert('merge-a', 900, { incidentKey: 'MERGE-A', service: 'search' }), alert('merge-b', 901, { incidentKey: 'MERGE-B', service: 'billing' })]);
  await send([{ id: 'merge-b-into-a', type: 'incident.merged', occurredAt: at(905), source: 'test', service: 'billing', incidentKey: 'MERGE-B', data: { into: 'MERGE-A' } }]);
  expectCorrelatedFrom('events', await send([note('after-merge', 910, { incidentKey: 'MERGE-A', service: 'search' })]));
  await expectStoreIsTheWholeLog();
}, 120_000);

test('in a service group, an event of one service joins the open incident of another, continued from its snapshot', async () => {
  const db: Envelope = { ...alert('group-db', 1000), service: 'payments-db' };
  await send([db]);
  expectCorrelatedFrom('snapshots', await send([{ ...note('group-api-note', 1005), service: 'payments-api' }]));
  expectCorrelatedFrom('snapshots', await send([{ ...alert('group-api-alert', 1010), service: 'payments-api' }]));
  const [row] = await suite.kit.sql<{ event_count: number }>('SELECT event_count FROM incidents WHERE id = (SELECT incident_id FROM events WHERE event_id = $1)', ['group-db']);
  expect(row!.event_count).toBe(3);
  await expectStoreIsTheWholeLog();
}, 120_000);
