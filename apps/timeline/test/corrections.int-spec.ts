import { correlateLog, incidentIdFor, project, type IncidentEvent } from '@app/domain';
import { TOPIC_PARTITIONS } from '@app/platform';
import { testEnvironment } from '../../../test/support/environment.js';
import { correctionsEvents } from '../../../test/support/fixtures.js';
import { allIncidents, getJson, publish, random, shuffle, waitUntilConsumed, runningTimeline, type Envelope } from './support/timeline-kit.js';

/*
 * Corrections through the running timeline (EVENTS.md, December additions): a log with an impact start, a
 * retracted wrong milestone and an incident merged into another, in several arrival orders at once. Each
 * copy must give one incident equal to the pure projection of its whole log; the merged incident answers
 * by its old id and keys with the target; a rebuild changes nothing.
 */

const environment = testEnvironment('tl_corrections');
const suite = runningTimeline(environment);
const COPIES = 4;

/** The log renamed for copy `n` (ids, keys, services), so copies never correlate together. */
function copyOf(n: number): Envelope[] {
  const rename = (text: string) => `${text}~${n}`;
  return (correctionsEvents() as Envelope[]).map((event) => {
    const data = event.data as Record<string, unknown>;
    return {
      ...event,
      id: rename(event.id),
      service: `${event.service}-${n}`,
      ...(event.incidentKey ? { incidentKey: rename(event.incidentKey as string) } : {}),
      data: {
        ...data,
        ...(typeof data.eventId === 'string' ? { eventId: rename(data.eventId) } : {}),
        ...(typeof data.into === 'string' ? { into: rename(data.into) } : {}),
        ...(typeof data.service === 'string' ? { service: `${data.service}-${n}` } : {}),
      },
    };
  });
}

const logs = Array.from({ length: COPIES }, (_, n) => copyOf(n));

test('any arrival order gives the corrected, merged incident; the merged one answers with it', async () => {
  const next = random(14);
  for (const log of logs) {
    // One at a time, in a shuffled order: the retraction and the merge often arrive before what they name.
    for (const event of shuffle([...log, ...log.filter(() => next() < 0.2)], next)) {
      await publish(suite.kit, [event], { partition: () => Math.floor(next() * TOPIC_PARTITIONS.events) });
    }
  }
  await waitUntilConsumed(suite.kit);
  expect(await getJson(`${suite.stack.timeline}/v1/unattached-events`)).toEqual({ items: [], total: 0, totalCapped: false });
  expect(await allIncidents(suite.stack.timeline!)).toHaveLength(COPIES);

  for (const [n, log] of logs.entries()) {
    const events = log as unknown as IncidentEvent[];
    const incident = await getJson(`${suite.stack.timeline}/v1/incidents/${encodeURIComponent(`INC-2025-0612-PAY~${n}`)}`);
    expect(incident).toEqual(project(incident.id, events));
    // The CLI's correlation gives the same single incident (its id names the opening event, which arrival may change).
    const cli = correlateLog(events);
    expect(cli.incidents.map((i) => i.events.length)).toEqual([log.length]);
    expect(incident.durations).toMatchObject({ timeToDetectMinutes: 12, timeToMitigateMinutes: 43 });
    expect(incident.retractions).toHaveLength(1);

    const merged = incidentIdFor({ id: `chk-alert-1~${n}` });
    expect(await getJson(`${suite.stack.timeline}/v1/incidents/${merged}`)).toEqual({ ...incident, mergedInto: incident.id });
    expect((await getJson(`${suite.stack.timeline}/v1/incidents/${encodeURIComponent(`INC-2025-0612-CHK~${n}`)}`)).id).toBe(incident.id);
    const stored = await getJson(`${suite.stack.timeline}/v1/incidents/${merged}/events`);
    expect(stored.incidentId).toBe(incident.id);
    expect(stored.events).toHaveLength(log.length);
  }
}, 120_000);

test('a later event of a merge\'s target leaves the stored alias as it is: not saved, retired or announced again', async () => {
  const merged = incidentIdFor({ id: 'chk-alert-1~0' });
  const aliasRow = () => suite.kit.sql<{ merged_into: string; updated_at: Date }>('SELECT merged_into, updated_at FROM incidents WHERE id = $1', [merged]);
  const [before] = await aliasRow();
  const note: Envelope = { id: 'after-merge-note~0', type: 'note.added', occurredAt: '2025-06-12T15:00:00Z', source: 'api', service: 'payments-api-0', incidentKey: 'INC-2025-0612-PAY~0', data: { text: 'after the merge' } };
  await publish(suite.kit, [note]);
  await waitUntilConsumed(suite.kit);
  const target = await getJson(`${suite.stack.timeline}/v1/incidents/${encodeURIComponent('INC-2025-0612-PAY~0')}/events`);
  expect(target.events.map((event: Envelope) => event.id)).toContain('after-merge-note~0');
  expect(await aliasRow()).toEqual([before]);
  expect(before!.merged_into).toBe(target.incidentId);
}, 60_000);

test('incidents whose keys meet list each other as possible duplicates, and are not merged', async () => {
  const first = { id: 'dup-a', type: 'alert.triggered', occurredAt: '2025-07-01T10:00:00Z', source: 'test', service: 'dup-one', incidentKey: 'DUP-A', data: { alertName: 'A' } };
  const second = { id: 'dup-b', type: 'alert.triggered', occurredAt: '2025-07-01T10:05:00Z', source: 'test', service: 'dup-two', incidentKey: 'DUP-B', data: { alertName: 'B' } };
  const both = { id: 'dup-n', type: 'note.added', occurredAt: '2025-07-01T10:10:00Z', source: 'test', service: 'dup-three', incidentKey: 'DUP-B', correlationKeys: ['DUP-A'], data: { text: 'same outage?' } };
  await publish(suite.kit, [first, second]);
  await waitUntilConsumed(suite.kit);
  await publish(suite.kit, [both]);
  await waitUntilConsumed(suite.kit);
  const a = await getJson(`${suite.stack.timeline}/v1/incidents/DUP-A`);
  const b = await getJson(`${suite.stack.timeline}/v1/incidents/${incidentIdFor({ id: 'dup-b' })}`);
  expect(a.eventCount).toBe(2);
  // The note joined the incident that started first, and linked all its keys to it from then on.
  expect((await getJson(`${suite.stack.timeline}/v1/incidents/DUP-B`)).id).toBe(a.id);
  expect(b.eventCount).toBe(1);
  expect(a.possibleDuplicates).toEqual([b.id]);
  expect(b.possibleDuplicates).toEqual([a.id]);
});

test('a rebuild from the event log gives what the live pipeline gave', async () => {
  const before = await allIncidents(suite.stack.timeline!);
  await getJson(`${suite.stack.timeline}/v1/admin/rebuild`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
  expect(await allIncidents(suite.stack.timeline!)).toEqual(before);
});
