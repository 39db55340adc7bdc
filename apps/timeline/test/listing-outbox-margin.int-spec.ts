import type { Consumer } from 'kafkajs';
import { testEnvironment, waitFor } from '../../../test/support/environment.js';
import { getJson, publish, runningTimeline, waitUntilConsumed, type Envelope } from './support/timeline-kit.js';

/*
 * What the timeline promises and only examples touched before: `status=` and cursor paging over more
 * incidents than a page, the order in which one incident's events leave through the outbox, and
 * CORRELATION_MARGIN_MINUTES in the live service (5 here, against the default 30).
 */
const environment = testEnvironment('tl_listing');
let reader: Consumer;
const received: { key: string; partition: number; id: string }[] = [];

// Declared first, so it runs before runningTimeline's clean-up closes the kit.
afterAll(async () => {
  await reader?.disconnect();
  await suite.kit?.admin.deleteGroups([`${suite.kit.group}-reader`]).catch(() => undefined);
}, 30_000);

const suite = runningTimeline(environment, { CORRELATION_MARGIN_MINUTES: '5' });

beforeAll(async () => {
  reader = suite.kit.kafka.consumer({ groupId: `${suite.kit.group}-reader` });
  await reader.connect();
  await reader.subscribe({ topic: suite.kit.topics.timeline, fromBeginning: true });
  await reader.run({
    eachMessage: async ({ partition, message }) => {
      received.push({ key: message.key!.toString(), partition, id: (JSON.parse(message.value!.toString()) as { id: string }).id });
    },
  });
}, 60_000);

const event = (id: string, type: string, occurredAt: string, service: string, fields: Record<string, unknown> = {}): Envelope => ({
  id,
  type,
  occurredAt,
  source: 'api',
  service,
  data: type === 'incident.declared' ? { title: id, severity: 'P3' } : type === 'status.changed' ? { status: 'resolved' } : { text: id },
  ...fields,
});

test('status= filters and the cursor pages through more incidents than a page, newest first, each once', async () => {
  // Seven incidents a day apart, the odd ones resolved.
  const incidents = Array.from({ length: 7 }, (_, n) => ({ key: `INC-LIST-${n}`, day: `2025-09-0${n + 1}` }));
  await publish(
    suite.kit,
    incidents.flatMap(({ key, day }, n) => [
      event(`${key}-declared`, 'incident.declared', `${day}T10:00:00Z`, `listing-${n}`, { incidentKey: key }),
      ...(n % 2 === 1 ? [event(`${key}-resolved`, 'status.changed', `${day}T11:00:00Z`, `listing-${n}`, { incidentKey: key })] : []),
    ]),
  );
  await waitUntilConsumed(suite.kit);

  const pages = async (query: string, limit: number) => {
    const keys: string[][] = [];
    let cursor: string | null = null;
    do {
      const page: { items: { keys: string[] }[]; nextCursor: string | null } = await getJson(`${suite.stack.timeline}/v1/incidents?limit=${limit}${query}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
      keys.push(page.items.map((item) => item.keys[0]!));
      cursor = page.nextCursor;
    } while (cursor);
    return keys;
  };
  const newestFirst = [...incidents].reverse().map((incident) => incident.key);
  expect(await pages('', 3)).toEqual([newestFirst.slice(0, 3), newestFirst.slice(3, 6), newestFirst.slice(6)]);
  expect((await pages('&status=open', 2)).flat()).toEqual(newestFirst.filter((key) => Number(key.at(-1)) % 2 === 0));
  expect((await pages('&status=resolved', 2)).flat()).toEqual(newestFirst.filter((key) => Number(key.at(-1)) % 2 === 1));
  expect(await pages('&status=resolved', 3)).toEqual([['INC-LIST-5', 'INC-LIST-3', 'INC-LIST-1']]);
  expect((await pages('&status=open&service=listing-4', 1)).flat()).toEqual(['INC-LIST-4']);
});

test("the outbox publishes one incident's events on one partition, in the order they were stored", async () => {
  const key = 'INC-ORDER';
  const ids: string[] = [];
  // Five batches, each stored before the next is sent; within a batch the events are in time order.
  for (let batch = 0; batch < 5; batch += 1) {
    const events = Array.from({ length: 4 }, (_, i) => {
      const n = batch * 4 + i;
      return event(`order-${String(n).padStart(2, '0')}`, n === 0 ? 'incident.declared' : 'note.added', `2025-10-01T10:${String(n).padStart(2, '0')}:00Z`, 'ordering', { incidentKey: key });
    });
    await publish(suite.kit, events);
    await waitUntilConsumed(suite.kit);
    ids.push(...events.map((e) => e.id));
  }
  const [{ incident_id: incidentId }] = await suite.kit.sql<{ incident_id: string }>('SELECT DISTINCT incident_id FROM events WHERE incident_key = $1', [key]);
  const ofIncident = () => received.filter((message) => message.key === incidentId);
  await waitFor(async () => (ofIncident().length >= ids.length ? true : null), 'every event of the incident on incident-timeline.v1');
  expect(new Set(ofIncident().map((message) => message.partition)).size).toBe(1);
  // At least once: a repeat may follow, but the first arrival of each id keeps the stored order.
  const firstArrivals = [...new Set(ofIncident().map((message) => message.id))];
  expect(firstArrivals).toEqual(ids);
});

test('CORRELATION_MARGIN_MINUTES=5: a note 4 minutes before the first event joins the incident, one 12 minutes before stays unattached (30 would take it)', async () => {
  await publish(suite.kit, [event('margin-declared', 'incident.declared', '2025-11-01T10:00:00Z', 'margins', { incidentKey: 'INC-MARGIN' })]);
  await waitUntilConsumed(suite.kit);
  await publish(suite.kit, [event('margin-4-min', 'note.added', '2025-11-01T09:56:00Z', 'margins'), event('margin-12-min', 'note.added', '2025-11-01T09:48:00Z', 'margins')]);
  await waitUntilConsumed(suite.kit);

  // 09:48 lies outside even the window the 09:56 note widens (09:51 on): only the margin decides.
  const { events } = await getJson<{ events: { id: string }[] }>(`${suite.stack.timeline}/v1/incidents/INC-MARGIN/events`);
  expect(events.map((e) => e.id)).toEqual(['margin-4-min', 'margin-declared']);
  const unattached = await getJson<{ items: { id: string }[] }>(`${suite.stack.timeline}/v1/unattached-events`);
  expect(unattached.items.map((e) => e.id)).toContain('margin-12-min');
});
