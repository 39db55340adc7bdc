import { randomBytes } from 'node:crypto';
import { waitFor } from '../../../test/support/environment.js';
import { rendererAlone } from './support/renderer-alone.js';

/*
 * The renderer's dead letters (incident-timeline.dlq.v1, issue 12): a message of incident-timeline.v1 it
 * cannot store goes there with the reason instead of stopping its partition (a category too large for its
 * b-tree index) or vanishing (not a correlated event); the canary behind it on the same partition is
 * stored, the renderer stays ready.
 */

// Its producer, admin, stack and dlq exist once beforeAll ran: read them through `renderer`.
const renderer = rendererAlone('rd_poison');
const { topics, database } = renderer;

const incidentId = 'inc-renderer-poison';
const correlated = (id: string, type: string, occurredAt: string, data: object, incident = incidentId) =>
  JSON.stringify({ incidentId: incident, id, type, occurredAt, source: 'api', service: 'render-service', data });
const send = (values: string[]) =>
  renderer.producer.send({ topic: topics.timeline, acks: -1, messages: values.map((value) => ({ key: incidentId, value, partition: 0 })) });
const storedIds = async () => (await database.sql<{ event_id: string }>('SELECT event_id FROM renderer_events ORDER BY event_id')).map((row) => row.event_id);
const endOfPartition0 = async () => (await renderer.admin.fetchTopicOffsets(topics.timeline)).find((p) => p.partition === 0)!.high;
const ready = async () => (await fetch(`${renderer.stack.renderer}/health/ready`)).status;

test('a message that is not a correlated event is dead-lettered with the reason, not dropped', async () => {
  const offset = await endOfPartition0();
  await send(['{"not": "an event"', correlated('rp-open', 'incident.declared', '2025-06-01T10:00:00Z', { title: 'Renderer poison' })]);
  await waitFor(async () => (await storedIds()).includes('rp-open'), 'the event behind the undecodable one');
  const letter = await renderer.dlq.forOffset(offset);
  expect(letter.value!.toString()).toBe('{"not": "an event"');
  expect(renderer.dlq.header(letter, 'aftermath-error')).toMatch(/not valid UTF-8 JSON/);
  expect(renderer.dlq.header(letter, 'aftermath-source-topic')).toBe(topics.timeline);
}, 60_000);

test('a root-cause category too large for the b-tree index goes to dead letters; the canary behind it is stored, the renderer ready', async () => {
  await send([correlated('rp-resolved', 'status.changed', '2025-06-01T10:30:00Z', { status: 'resolved' })]);
  await waitFor(async () => (await storedIds()).includes('rp-resolved'), 'the resolution');
  const poisonOffset = await endOfPartition0();
  // Random hex does not compress: the index row would stay over PostgreSQL's 2704-byte b-tree limit
  // (SQLSTATE 54000); the renderer's validation, now bounding every indexed string, refuses it first.
  const category = randomBytes(4096).toString('hex');
  await send([
    correlated('rp-root-cause', 'root_cause.identified', '2025-06-01T10:20:00Z', { summary: 'too long a category', category }),
    correlated('rp-canary', 'incident.declared', '2025-06-01T11:00:00Z', { title: 'Canary' }, 'inc-renderer-canary'),
  ]);

  await waitFor(async () => (await storedIds()).includes('rp-canary'), 'the canary behind the poison');
  const letter = await renderer.dlq.forOffset(poisonOffset);
  expect(JSON.parse(letter.value!.toString()).id).toBe('rp-root-cause');
  expect(renderer.dlq.header(letter, 'aftermath-error')).toMatch(/^data\.category: Too big: expected string to have <=256 characters/);
  expect(await storedIds()).toEqual(['rp-canary', 'rp-open', 'rp-resolved']);
  const [incident] = await database.sql<{ category: string | null; is_open: boolean }>('SELECT category, is_open FROM renderer_incidents WHERE id = $1', [incidentId]);
  expect(incident).toEqual({ category: null, is_open: false });
  expect(await ready()).toBe(200);
}, 90_000);
