import { project, type IncidentEvent } from '@app/domain';
import { TOPIC_PARTITIONS } from '@app/platform';
import { testEnvironment } from '../../../test/support/environment.js';
import { exampleEvents } from '../../../test/support/fixtures.js';
import { allIncidents, chunks, getJson, random, shuffle, storedEventCount, waitUntilConsumed, runningTimeline, type Envelope } from './support/timeline-kit.js';

/*
 * Many arrival orders at once: copies of the example log, each under its own service, keys and ids,
 * shuffled with different seeds, re-sent and interleaved in the same batches. Every copy must give
 * exactly one incident equal to the pure projection of its log.
 */

const environment = testEnvironment('tl_orders');
const COPIES = 12;

/** The example log renamed for copy `n`: another service and keys, so copies never correlate together. */
function copyOf(n: number): Envelope[] {
  return (exampleEvents() as Envelope[]).map((event) => ({
    ...event,
    id: `${event.id}~${n}`,
    service: `${event.service}-${n}`,
    ...(event.incidentKey ? { incidentKey: `${event.incidentKey}~${n}` } : {}),
  }));
}
const suite = runningTimeline(environment);

test('every arrival order of the example log gives the same single incident', async () => {
  const next = random(99);
  const logs = Array.from({ length: COPIES }, (_, n) => copyOf(n));
  const streams = logs.map((log) => {
    const withCopies = [...log, ...log.filter(() => next() < 0.3)];
    return shuffle(withCopies, next);
  });
  // Interleave the shuffled streams, then send in small chunks to random partitions, each consumed before the
  // next is sent, so events keep arriving after later ones of their incident were folded.
  const interleaved: Envelope[] = [];
  for (let i = 0; streams.some((stream) => i < stream.length); i += 1) for (const stream of streams) if (i < stream.length) interleaved.push(stream[i]!);
  for (const chunk of chunks(interleaved, 15)) {
    await suite.kit.producer.send({
      topic: suite.kit.topics.events,
      acks: -1,
      messages: chunk.map((event) => ({ key: event.service, value: JSON.stringify(event), partition: Math.floor(next() * TOPIC_PARTITIONS.events) })),
    });
    await waitUntilConsumed(suite.kit);
  }

  expect(await storedEventCount(suite.kit)).toBe(COPIES * 35);
  expect(await getJson(`${suite.stack.timeline}/v1/unattached-events`)).toEqual({ items: [], total: 0, totalCapped: false });
  const incidents = await allIncidents(suite.stack.timeline!);
  expect(incidents).toHaveLength(COPIES);
  for (const [n, log] of logs.entries()) {
    const incident = await getJson(`${suite.stack.timeline}/v1/incidents/${encodeURIComponent(`INC-2025-0405-ORD~${n}`)}`);
    expect(incident.eventCount).toBe(35);
    expect(incident.durations.durationMinutes).toBe(139);
    expect(incident).toEqual(project(incident.id, log as unknown as IncidentEvent[]));
  }
}, 90_000);
