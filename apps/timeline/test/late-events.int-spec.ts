import { project, type IncidentEvent } from '@app/domain';
import { testEnvironment, waitFor } from '../../../test/support/environment.js';
import { exampleEvents } from '../../../test/support/fixtures.js';
import { startStack, type RunningStack } from '../../../test/support/stack.js';
import { getJson, openKit, publish, storedEventCount, waitUntilConsumed, type Envelope, type TimelineKit } from './support/timeline-kit.js';

/* Arrival order is not event order: a late event re-projects its incident; an unattached event joins later. */

const environment = testEnvironment('tl_late');
let stack: RunningStack;
let kit: TimelineKit;

beforeAll(async () => {
  kit = await openKit(environment);
  stack = await startStack(environment, ['timeline'], kit.serviceEnv);
}, 60_000);

afterAll(async () => {
  await stack?.close();
  await kit?.close();
  await environment.dropDatabase();
}, 30_000);

test('the first alert arriving last re-projects milestones and duration', async () => {
  const events = exampleEvents() as Envelope[];
  const alert = events.find((event) => event.type === 'alert.triggered')!;
  const rest = events.filter((event) => event !== alert);
  await publish(kit, rest);
  await waitUntilConsumed(kit);
  expect(await storedEventCount(kit)).toBe(34);

  const early = await getJson(`${stack.timeline}/v1/incidents/INC-2025-0405-ORD`);
  expect(early.eventCount).toBe(34);
  expect(early.milestones.map((m: { name: string }) => m.name)).not.toContain('Monitoring alert triggered');
  expect(early.times.detectedAt).toBeNull();
  expect(early.durations.durationMinutes).toBe(137); // resolved 17:47 minus the first event, 15:30

  await publish(kit, [alert]);
  await waitFor(async () => (await getJson(`${stack.timeline}/v1/incidents/INC-2025-0405-ORD`)).eventCount === 35, 'the late alert in the incident');
  const late = await getJson(`${stack.timeline}/v1/incidents/INC-2025-0405-ORD`);
  expect(late.id).toBe(early.id);
  expect(late.milestones[0]).toEqual({ name: 'Monitoring alert triggered', at: '2025-04-05T15:28:00.000Z', eventId: alert.id });
  expect(late.milestones.map((m: { at: string }) => m.at.slice(11, 16))).toEqual(['15:28', '15:30', '15:33', '15:38', '16:51', '17:19', '17:47']);
  expect(late.durations.durationMinutes).toBe(139);
  expect(late.firstEventAt).toBe('2025-04-05T15:28:00.000Z');
  expect(late.firstAlertName.value).toBe('OrderServiceHighErrorRate');
  expect(late).toEqual(project(late.id, events as unknown as IncidentEvent[]));
  const page = await getJson<{ items: unknown[] }>(`${stack.timeline}/v1/incidents?service=order-service`);
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
  await publish(kit, [note]);
  await waitUntilConsumed(kit);
  expect(await getJson(`${stack.timeline}/v1/unattached-events`)).toEqual({ items: [note], total: 1 });
  expect((await fetch(`${stack.timeline}/v1/incidents/INC-LATE-X`)).status).toBe(404);
  expect((await getJson<{ items: unknown[] }>(`${stack.timeline}/v1/incidents?service=billing-service`)).items).toEqual([]);

  const declared: Envelope = {
    id: 'late-declare-x',
    type: 'incident.declared',
    occurredAt: '2025-06-01T11:00:00Z',
    source: 'api',
    service: 'billing-service',
    incidentKey: 'INC-LATE-X',
    data: { title: 'Double charges', severity: 'P2', team: 'Billing' },
  };
  await publish(kit, [declared]);
  await waitUntilConsumed(kit);

  expect(await getJson(`${stack.timeline}/v1/unattached-events`)).toEqual({ items: [], total: 0 });
  const incident = await getJson(`${stack.timeline}/v1/incidents/INC-LATE-X`);
  expect(incident.eventCount).toBe(2);
  expect(incident.notes).toEqual([{ at: '2025-06-01T10:05:00.000Z', eventId: note.id, text: 'customers report double charges' }]);
  expect(incident.firstEventAt).toBe('2025-06-01T10:05:00.000Z');
  const log = await getJson<{ events: Envelope[] }>(`${stack.timeline}/v1/incidents/INC-LATE-X/events`);
  expect(log.events).toEqual([note, declared]);
  expect(incident).toEqual(project(incident.id, [note, declared] as unknown as IncidentEvent[]));
  const [row] = await kit.sql<{ incident_id: string }>('SELECT incident_id FROM events WHERE event_id = $1', [note.id]);
  expect(row!.incident_id).toBe(incident.id);
}, 90_000);
