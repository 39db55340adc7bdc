import { testEnvironment, waitFor } from '../../../test/support/environment.js';
import { getJson, metric, publish, storedEventCount, waitUntilConsumed, runningTimeline, type Envelope } from './support/timeline-kit.js';

/* The event id is the idempotency key: a re-send changes nothing, another payload under a stored id is a conflict. */

const environment = testEnvironment('tl_conflicts');
const suite = runningTimeline(environment);

const alert = (summary: string): Envelope => ({
  id: 'conflict-alert-1',
  type: 'alert.triggered',
  occurredAt: '2025-05-02T08:00:00Z',
  source: 'alertmanager',
  service: 'payment-service',
  incidentKey: 'INC-CONFLICT',
  data: { alertName: 'PaymentErrors', summary },
});

test('same id with another payload: the first write wins, the conflict is recorded and counted', async () => {
  const first = alert('first version');
  await publish(suite.kit, [first]);
  await waitFor(async () => (await storedEventCount(suite.kit)) === 1, 'the first version stored');
  const incident = await getJson(`${suite.stack.timeline}/v1/incidents/INC-CONFLICT`);

  // A byte-different but identical re-send (keys in another order) is a duplicate, not a conflict.
  const reordered = Object.fromEntries(Object.entries(first).reverse()) as Envelope;
  const second = alert('second version, same id');
  await publish(suite.kit, [reordered, second]);
  await waitUntilConsumed(suite.kit);

  expect(await storedEventCount(suite.kit)).toBe(1);
  const [stored] = await suite.kit.sql<{ payload: Envelope }>('SELECT payload FROM events WHERE event_id = $1', [first.id]);
  expect(stored!.payload).toEqual(first);
  const conflicts = await suite.kit.sql<{ event_id: string; payload: Envelope }>('SELECT event_id, payload FROM event_conflicts');
  expect(conflicts).toEqual([{ event_id: first.id, payload: second }]);

  expect(await metric(suite.stack.timeline!, 'aftermath_timeline_events_total', { outcome: 'conflict' })).toBe(1);
  expect(await metric(suite.stack.timeline!, 'aftermath_timeline_events_total', { outcome: 'duplicate' })).toBe(1);
  expect(await metric(suite.stack.timeline!, 'aftermath_timeline_events_total', { outcome: 'stored' })).toBe(1);

  // The projection still shows the first version, unchanged.
  expect(await getJson(`${suite.stack.timeline}/v1/incidents/INC-CONFLICT`)).toEqual(incident);
  const log = await getJson<{ events: Envelope[] }>(`${suite.stack.timeline}/v1/incidents/INC-CONFLICT/events`);
  expect(log.events).toEqual([first]);
}, 90_000);

test('two versions of a new id in one batch: the earlier offset wins, the later is the conflict', async () => {
  const v1: Envelope = { id: 'conflict-note-2', type: 'note.added', occurredAt: '2025-05-02T08:05:00Z', source: 'api', service: 'payment-service', incidentKey: 'INC-CONFLICT', data: { text: 'v1' } };
  const v2: Envelope = { ...v1, data: { text: 'v2' } };
  await publish(suite.kit, [v1, v2, v1]);
  await waitUntilConsumed(suite.kit);

  const [stored] = await suite.kit.sql<{ payload: Envelope; incident_id: string | null }>('SELECT payload, incident_id FROM events WHERE event_id = $1', [v1.id]);
  expect(stored!.payload).toEqual(v1);
  expect(stored!.incident_id).not.toBeNull();
  const conflicts = await suite.kit.sql<{ payload: Envelope }>('SELECT payload FROM event_conflicts WHERE event_id = $1', [v1.id]);
  expect(conflicts.map((row) => row.payload)).toEqual([v2]);
  expect(await metric(suite.stack.timeline!, 'aftermath_timeline_events_total', { outcome: 'conflict' })).toBe(2);
  const incident = await getJson(`${suite.stack.timeline}/v1/incidents/INC-CONFLICT`);
  expect(incident.notes.map((n: { text: string }) => n.text)).toEqual(['v1']);
  expect(incident.eventCount).toBe(2);
}, 90_000);
