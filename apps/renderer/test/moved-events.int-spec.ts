import { waitFor } from '../../../test/support/environment.js';
import { rendererAlone } from './support/renderer-alone.js';

/*
 * An event moves between incidents when a late event splits or joins them (docs/correlation.md): the
 * timeline publishes it again under its new incident, with a larger `sequence`. Messages keyed by incident
 * reach the renderer through different partitions, in any order and again after a crash: the renderer must
 * end with each event where its largest sequence puts it, re-project both incidents, and stop listing one
 * left without events. (Found by the chaos run: the renderer kept a split-off incident's events under the
 * incident they were first published in.)
 */

// Its producer, admin, stack and dlq exist once beforeAll ran: read them through `renderer`.
const renderer = rendererAlone('rd_moves');
const { topics, database } = renderer;

const event = (id: string, minute: number) => ({ id, type: 'note.added', occurredAt: `2025-06-02T10:${String(minute).padStart(2, '0')}:00Z`, source: 'api', service: 'moves', data: { text: id } });
/** One message per placement, each to the partition of its incident: delivered one at a time, in this order. */
const publish = async (...placements: [incidentId: string, id: string, minute: number, sequence: number | string][]) => {
  for (const [incidentId, id, minute, sequence] of placements) {
    await renderer.producer.send({ topic: topics.timeline, acks: -1, messages: [{ key: incidentId, value: JSON.stringify({ ...event(id, minute), incidentId, sequence }) }] });
  }
};
const placements = async () =>
  Object.fromEntries((await database.sql<{ event_id: string; incident_id: string }>('SELECT event_id, incident_id FROM renderer_events ORDER BY event_id')).map((row) => [row.event_id, row.incident_id]));
const counts = async () =>
  Object.fromEntries((await database.sql<{ id: string; n: number }>(`SELECT id, (state->>'eventCount')::int AS n FROM renderer_incidents ORDER BY id`)).map((row) => [row.id, row.n]));

test('each event ends where its largest sequence puts it, whatever order the placements arrive in; both incidents are re-projected', async () => {
  await publish(['inc-a', 'mv-1', 0, 1], ['inc-a', 'mv-2', 1, 2], ['inc-a', 'mv-3', 2, 3]);
  await waitFor(async () => Object.keys(await placements()).length === 3, 'the first placements');
  // mv-2 moves to inc-b; mv-3 too, but its older placement is delivered again afterwards (another partition, or
  // after a crash). mv-4 and mv-7 are the last messages of the two incidents' partitions.
  await publish(['inc-b', 'mv-2', 1, 7], ['inc-b', 'mv-3', 2, 8], ['inc-a', 'mv-3', 2, 3], ['inc-a', 'mv-4', 3, 9], ['inc-b', 'mv-7', 6, 10]);
  await waitFor(async () => ((await placements())['mv-4'] && (await placements())['mv-7'] ? true : null), 'the last message of each partition');

  expect(await placements()).toEqual({ 'mv-1': 'inc-a', 'mv-2': 'inc-b', 'mv-3': 'inc-b', 'mv-4': 'inc-a', 'mv-7': 'inc-b' });
  expect(await counts()).toEqual({ 'inc-a': 2, 'inc-b': 3 });
}, 60_000);

test('an incident whose every event moved away is no longer listed; a malformed sequence is dead-lettered naming the field', async () => {
  await publish(['inc-c', 'mv-5', 4, 11]);
  await waitFor(async () => ((await counts())['inc-c'] === 1 ? true : null), 'incident inc-c');
  await publish(['inc-d', 'mv-5', 4, 12]);
  await waitFor(async () => ((await placements())['mv-5'] === 'inc-d' ? true : null), 'mv-5 moved to inc-d');
  expect(await counts()).toEqual({ 'inc-a': 2, 'inc-b': 3, 'inc-d': 1 });
  expect((await fetch(`${renderer.stack.renderer}/v1/incidents/inc-c/summary`)).status).toBe(404);

  const end = async () => (await renderer.admin.fetchTopicOffsets(topics.timeline)).map((p) => [p.partition, p.high] as const);
  const before = new Map(await end());
  await publish(['inc-e', 'mv-6', 5, 'thirteen']);
  const [partition] = (await end()).find(([p, high]) => high !== before.get(p))!;
  const letter = await renderer.dlq.forOffset(before.get(partition)!);
  expect(renderer.dlq.header(letter, 'aftermath-error')).toBe('sequence: expected a non-negative integer');
  expect((await placements())['mv-6']).toBeUndefined();
}, 60_000);
