import { incidentIdFor, project, type IncidentEvent } from '@app/domain';
import { testEnvironment, waitFor } from '../../../test/support/environment.js';
import { exampleEvents } from '../../../test/support/fixtures.js';
import { getJson, publish, storedEventCount, waitUntilConsumed, runningTimeline, type Envelope } from './support/timeline-kit.js';

/* Arrival order is not event order: a late event re-projects its incident; an unattached event joins later. */

const environment = testEnvironment('tl_late');
const suite = runningTimeline(environment);

test('the first alert arriving last re-projects milestones and duration', async () => {
  const events = exampleEvents() as Envelope[];
  const alert = events.find((event) => event.type === 'alert.triggered')!;
  const rest = events.filter((event) => event !== alert);
  await publish(suite.kit, rest);
  await waitUntilConsumed(suite.kit);
  expect(await storedEventCount(suite.kit)).toBe(34);

  const early = await getJson(`${suite.stack.timeline}/v1/incidents/INC-2025-0405-ORD`);
  expect(early.eventCount).toBe(34);
  expect(early.milestones.map((m: { name: string }) => m.name)).not.toContain('Monitoring alert triggered');
  expect(early.times.detectedAt).toBeNull();
  expect(early.durations.durationMinutes).toBe(137); // resolved 17:47 minus the first event, 15:30

  await publish(suite.kit, [alert]);
  await waitFor(async () => (await getJson(`${suite.stack.timeline}/v1/incidents/INC-2025-0405-ORD`)).eventCount === 35, 'the late alert in the incident');
  const late = await getJson(`${suite.stack.timeline}/v1/incidents/INC-2025-0405-ORD`);
  // The late alert opened the incident (in event-time order it comes first): it carries the alert's id now,
  // and the id it had before stays readable as an alias.
  expect(late.id).toBe(incidentIdFor(alert));
  expect(early.id).not.toBe(late.id);
  expect(await getJson(`${suite.stack.timeline}/v1/incidents/${early.id}`)).toEqual({ ...late, mergedInto: late.id });
  expect(late.milestones[0]).toEqual({ name: 'Monitoring alert triggered', at: '2025-04-05T15:28:00.000Z', eventId: alert.id });
  expect(late.milestones.map((m: { at: string }) => m.at.slice(11, 16))).toEqual(['15:28', '15:30', '15:33', '15:38', '16:51', '17:19', '17:47']);
  expect(late.durations.durationMinutes).toBe(139);
  expect(late.firstEventAt).toBe('2025-04-05T15:28:00.000Z');
  expect(late.firstAlertName.value).toBe('OrderServiceHighErrorRate');
  expect(late).toEqual(project(late.id, events as unknown as IncidentEvent[]));
  const page = await getJson<{ items: unknown[] }>(`${suite.stack.timeline}/v1/incidents?service=order-service`);
  expect(page.items).toHaveLength(1);
}, 90_000);

test('an event with an unknown key stays unattached until an incident declares that key, then attaches', async () => {
  const note: Envelope = {
    id: 'late-note-x',
    type: 'note.added',
    occurredAt: '2025-06-01T10:05:00Z',
    source: 'api',
    service: 'billing-service',
    incidentKey: 'INC-LATE-X',
    data: { text: 'customers report double charges' },
  };
  await publish(suite.kit, [note]);
  await waitUntilConsumed(suite.kit);
  expect(await getJson(`${suite.stack.timeline}/v1/unattached-events`)).toEqual({ items: [note], total: 1, totalCapped: false });
  expect((await fetch(`${suite.stack.timeline}/v1/incidents/INC-LATE-X`)).status).toBe(404);
  expect((await getJson<{ items: unknown[] }>(`${suite.stack.timeline}/v1/incidents?service=billing-service`)).items).toEqual([]);

  const declared: Envelope = {
    id: 'late-declare-x',
    type: 'incident.declared',
    occurredAt: '2025-06-01T11:00:00Z',
    source: 'api',
    service: 'billing-service',
    incidentKey: 'INC-LATE-X',
    data: { title: 'Double charges', severity: 'P2', team: 'Billing' },
  };
  await publish(suite.kit, [declared]);
  await waitUntilConsumed(suite.kit);

  expect(await getJson(`${suite.stack.timeline}/v1/unattached-events`)).toEqual({ items: [], total: 0, totalCapped: false });
  const incident = await getJson(`${suite.stack.timeline}/v1/incidents/INC-LATE-X`);
  expect(incident.eventCount).toBe(2);
  expect(incident.notes).toEqual([{ at: '2025-06-01T10:05:00.000Z', eventId: note.id, text: 'customers report double charges' }]);
  expect(incident.firstEventAt).toBe('2025-06-01T10:05:00.000Z');
  const log = await getJson<{ events: Envelope[] }>(`${suite.stack.timeline}/v1/incidents/INC-LATE-X/events`);
  expect(log.events).toEqual([note, declared]);
  expect(incident).toEqual(project(incident.id, [note, declared] as unknown as IncidentEvent[]));
  const [row] = await suite.kit.sql<{ incident_id: string }>('SELECT incident_id FROM events WHERE event_id = $1', [note.id]);
  expect(row!.incident_id).toBe(incident.id);
}, 90_000);
