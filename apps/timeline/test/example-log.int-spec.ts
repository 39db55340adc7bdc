import { orderEvents, project, type IncidentEvent } from '@app/domain';
import { testEnvironment } from '../../../test/support/environment.js';
import { exampleEvents, referenceRca } from '../../../test/support/fixtures.js';
import { TOPIC_PARTITIONS } from '@app/platform';
import { chunks, getJson, metric, random, shuffle, storedEventCount, waitUntilConsumed, runningTimeline, type Envelope } from './support/timeline-kit.js';

/*
 * The reference incident end to end through the real broker and database: the 35 events of the example
 * log arrive shuffled, re-sent and spread over partitions, and the projection still matches the
 * reference RCA; a rebuild from the event log then changes nothing.
 */

const environment = testEnvironment('tl_example');
const events = exampleEvents() as Envelope[];

/** The figures of the reference RCA, read from the document itself. */
function referenceFigures() {
  const rca = referenceRca();
  const front = (name: string) => new RegExp(`^${name}: (.*)$`, 'm').exec(rca)![1]!.trim();
  return {
    severity: front('severity'),
    services: front('services').replace(/^\[|\]$/g, '').split(',').map((s) => s.trim()),
    durationMinutes: Number(front('duration_minutes')),
    author: front('author'),
    timeline: [...rca.matchAll(/^\| (\d\d:\d\d) \| (.+?) \|$/gm)].map((m) => ({ time: m[1]!, name: m[2]! })),
    usersAffected: Number(/affected (\d+) users/.exec(rca)![1]),
    customerErrors: Number(/- (\d+) customer-facing errors/.exec(rca)![1]),
    supportTickets: Number(/- (\d+) support tickets/.exec(rca)![1]),
    revenueUsd: Number(/revenue impact: \$(\d+)/.exec(rca)![1]),
  };
}
const suite = runningTimeline(environment);

let duplicateCopies = 0;

test('the example log, shuffled, re-sent and spread over partitions, projects the reference incident exactly once', async () => {
  const next = random(20250405);
  // Every event once, keyed by service; about half of them re-sent once or twice more, some of those
  // copies to another partition (another producer, another partitioner): arrival order is anything.
  const copies: { event: Envelope; partition?: number }[] = events.map((event) => ({ event }));
  for (const event of events) {
    const extra = next() < 0.5 ? 1 + Math.floor(next() * 2) : 0;
    for (let i = 0; i < extra; i += 1) copies.push({ event, partition: next() < 0.5 ? Math.floor(next() * TOPIC_PARTITIONS.events) : undefined });
  }
  duplicateCopies = copies.length - events.length;
  expect(duplicateCopies).toBeGreaterThan(10);
  // Small chunks, each consumed before the next is sent: many batches in shuffled order, not one sorted batch,
  // however fast or loaded the machine.
  const batchesBefore = await metric(suite.stack.timeline!, 'aftermath_timeline_batch_size_count');
  const sent = chunks(shuffle(copies, next), 4);
  for (const chunk of sent) {
    await suite.kit.producer.send({
      topic: suite.kit.topics.events,
      acks: -1,
      messages: chunk.map(({ event, partition }) => ({ key: event.service, value: JSON.stringify(event), partition })),
    });
    await waitUntilConsumed(suite.kit);
  }
  expect(await metric(suite.stack.timeline!, 'aftermath_timeline_batch_size_count')).toBeGreaterThanOrEqual(batchesBefore + sent.length);

  expect(await storedEventCount(suite.kit)).toBe(35);
  expect(await metric(suite.stack.timeline!, 'aftermath_timeline_events_total', { outcome: 'stored' })).toBe(35);
  expect(await metric(suite.stack.timeline!, 'aftermath_timeline_events_total', { outcome: 'duplicate' })).toBeGreaterThanOrEqual(duplicateCopies);
  expect(await metric(suite.stack.timeline!, 'aftermath_timeline_events_total', { outcome: 'conflict' })).toBe(0);

  const page = await getJson<{ items: any[]; nextCursor: string | null }>(`${suite.stack.timeline}/v1/incidents`);
  expect(page.items).toHaveLength(1);
  expect(page.nextCursor).toBeNull();
  const incident = page.items[0];
  const reference = referenceFigures();

  expect(incident.eventCount).toBe(35);
  expect(incident.status).toBe('resolved');
  expect(incident.open).toBe(false);
  expect(incident.severity.value).toBe(reference.severity);
  expect(incident.durations.durationMinutes).toBe(reference.durationMinutes);
  expect(incident.services).toEqual(reference.services);
  expect(incident.team.value).toBe(reference.author);
  expect(incident.primaryService).toBe('order-service');
  expect(incident.keys).toEqual(expect.arrayContaining(['INC-2025-0405-ORD', 'pagerduty:Q0RIJJZL24RC6W']));
  expect(incident.milestones.map((m: { name: string; at: string }) => ({ time: m.at.slice(11, 16), name: m.name }))).toEqual(reference.timeline);
  expect(incident.milestones.map((m: { at: string }) => m.at.slice(0, 10))).toEqual(Array(7).fill('2025-04-05'));
  expect(reference.timeline.map((row) => row.time)).toEqual(['15:28', '15:30', '15:33', '15:38', '16:51', '17:19', '17:47']);
  expect(incident.customerImpact).toMatchObject({
    usersAffected: { value: reference.usersAffected },
    customerErrors: { value: reference.customerErrors },
    supportTickets: { value: reference.supportTickets },
    revenueUsd: { value: reference.revenueUsd },
  });
  expect(reference.usersAffected).toBe(3808);
  expect(incident.rootCause).toMatchObject({ summary: 'cache invalidation bug', category: 'application' });
  expect(Object.fromEntries(incident.impact.map((f: { metric: string; peak: number }) => [f.metric, f.peak]))).toEqual({
    requests_affected: 81,
    error_rate: 48,
    latency_p99: 2549,
  });
  expect(incident.resolutionSteps).toHaveLength(4);
  expect(incident.lessons).toHaveLength(8);
  expect(incident.actionItems).toHaveLength(4);
  // The whole state is the pure projection of the log, whatever the arrival order.
  expect(incident).toEqual(project(incident.id, events as unknown as IncidentEvent[]));

  for (const address of ['INC-2025-0405-ORD', 'pagerduty:Q0RIJJZL24RC6W', incident.id]) {
    expect(await getJson(`${suite.stack.timeline}/v1/incidents/${encodeURIComponent(address)}`)).toEqual(incident);
  }
  const log = await getJson<{ incidentId: string; events: Envelope[] }>(`${suite.stack.timeline}/v1/incidents/INC-2025-0405-ORD/events`);
  expect(log.incidentId).toBe(incident.id);
  expect(log.events.map((e) => e.id)).toEqual(orderEvents(events).map((e) => e.id));
  expect(log.events).toEqual(orderEvents(events));

  expect(await getJson(`${suite.stack.timeline}/v1/unattached-events`)).toEqual({ items: [], total: 0, totalCapped: false });
  const rows = await suite.kit.sql<{ total: number; attached: number; distinct_incidents: number }>(
    'SELECT count(*)::int AS total, count(incident_id)::int AS attached, count(DISTINCT incident_id)::int AS distinct_incidents FROM events',
  );
  expect(rows[0]).toEqual({ total: 35, attached: 35, distinct_incidents: 1 });
  expect(await suite.kit.sql('SELECT * FROM event_conflicts')).toEqual([]);
  expect((await fetch(`${suite.stack.timeline}/v1/incidents/INC-NOPE`)).status).toBe(404);
}, 90_000);

test('a rebuild from the event log reports its counts and leaves every projection as it was', async () => {
  const before = await getJson<{ items: any[] }>(`${suite.stack.timeline}/v1/incidents`);
  expect(before.items).toHaveLength(1);
  const id = before.items[0].id as string;
  const stateBefore = await getJson(`${suite.stack.timeline}/v1/incidents/${id}`);
  const eventsBefore = await getJson(`${suite.stack.timeline}/v1/incidents/${id}/events`);

  const report = await getJson<{ incidents: number; events: number; seconds: number }>(`${suite.stack.timeline}/v1/admin/rebuild`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
  expect(report).toEqual({ incidents: 1, events: 35, seconds: expect.any(Number) });

  expect(await getJson(`${suite.stack.timeline}/v1/incidents`)).toEqual(before);
  expect(await getJson(`${suite.stack.timeline}/v1/incidents/${id}`)).toEqual(stateBefore);
  expect(await getJson(`${suite.stack.timeline}/v1/incidents/${id}/events`)).toEqual(eventsBefore);
  expect(await getJson(`${suite.stack.timeline}/v1/unattached-events`)).toEqual({ items: [], total: 0, totalCapped: false });
  expect(await storedEventCount(suite.kit)).toBe(35);
}, 90_000);
