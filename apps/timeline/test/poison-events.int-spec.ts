import { gzipSync } from 'node:zlib';
import { CompressionTypes } from 'kafkajs';
import { MAX_DECOMPRESSED_BATCH_BYTES } from '@app/platform';
import { testEnvironment, waitFor } from '../../../test/support/environment.js';
import { readDeadLetters, type DeadLetterReader } from '../../../test/support/dead-letter-reader.js';
import { getJson, metric, publishRaw, runningTimeline, storedEventCount, waitUntilConsumed, type Envelope } from './support/timeline-kit.js';

/*
 * No single message stops a partition (issue 12): what PostgreSQL would refuse as data, or what cannot even
 * be decompressed, goes to incident-events.dlq.v1 with the reason; a canary behind it on the same partition
 * is stored, the service stays ready, and nothing else changes. Produced straight to the topic, as any
 * Kafka producer (or an ingest of before the fix) could.
 */

const environment = testEnvironment('tl_poison');
let dlq: DeadLetterReader;

// Declared first, so it runs before runningTimeline's clean-up deletes the topics under the reader.
afterAll(async () => {
  await dlq?.close();
  await suite.kit?.admin.deleteGroups([`${suite.kit.group}-dlq-reader`]).catch(() => undefined);
});

const suite = runningTimeline(environment);

beforeAll(async () => {
  dlq = await readDeadLetters(suite.kit.kafka, suite.kit.topics.deadLetters, `${suite.kit.group}-dlq-reader`);
});

const note = (id: string, occurredAt: string): Envelope => ({
  id,
  type: 'note.added',
  occurredAt,
  source: 'api',
  service: 'poison-service',
  incidentKey: 'INC-POISON',
  data: { text: id },
});
const opener: Envelope = { id: 'poison-open', type: 'incident.declared', occurredAt: '2025-05-03T09:00:00Z', source: 'api', service: 'poison-service', incidentKey: 'INC-POISON', data: { title: 'Poison test', severity: 'P3' } };

const ready = async () => (await fetch(`${suite.stack.timeline}/health/ready`)).status;
const endOfPartition0 = async () => (await suite.kit.admin.fetchTopicOffsets(suite.kit.topics.events)).find((p) => p.partition === 0)!.high;

test('instants PostgreSQL cannot store (offset +16:00, 200 fractional digits) are dead-lettered from inside a batch, refused by the validation that now matches the store; the events around them are stored once', async () => {
  const first = BigInt(await endOfPartition0());
  const sequence = [
    opener,
    note('poison-before', '2025-05-03T09:01:00Z'),
    note('poison-offset', '2025-05-03T09:02:00+16:00'),
    note('poison-between', '2025-05-03T09:03:00Z'),
    note('poison-digits', `2025-05-03T09:04:00.${'1'.repeat(200)}Z`),
    note('poison-canary', '2025-05-03T09:05:00Z'),
  ];
  // One send, one partition: the poison shares its batch (and transaction) with good events.
  await publishRaw(suite.kit, sequence.map((event) => ({ key: event.service, value: JSON.stringify(event), partition: 0 })));
  await waitUntilConsumed(suite.kit);

  const stored = await suite.kit.sql<{ event_id: string }>("SELECT event_id FROM events WHERE event_id LIKE 'poison-%' ORDER BY event_id");
  expect(stored.map((row) => row.event_id)).toEqual(['poison-before', 'poison-between', 'poison-canary', 'poison-open']);
  for (const [id, offset, reason] of [
    ['poison-offset', first + 2n, /^occurredAt: the offset \+16:00 is beyond ±15:59/],
    ['poison-digits', first + 4n, /^occurredAt: at most 9 fractional second digits, got 200/],
  ] as const) {
    const letter = await dlq.forOffset(String(offset));
    expect(JSON.parse(letter.value!.toString()).id).toBe(id);
    expect(dlq.header(letter, 'aftermath-error')).toMatch(reason);
    expect(dlq.header(letter, 'aftermath-source-partition')).toBe('0');
  }
  const incident = await getJson(`${suite.stack.timeline}/v1/incidents/INC-POISON`);
  expect(incident.eventCount).toBe(4);
  expect(incident.notes.map((n: { text: string }) => n.text)).toEqual(['poison-before', 'poison-between', 'poison-canary']);
  expect(await ready()).toBe(200);
  expect(await metric(suite.stack.timeline!, 'aftermath_timeline_events_total', { outcome: 'dead_letter' })).toBe(2);
}, 120_000);

test('an incident spanning more than 4,085 years (any Kafka producer; ingest refuses the future) overflows a figure column: PostgreSQL refuses it as data (SQLSTATE 22003), the batch is split, the event alone is dead-lettered and the canary behind it stored', async () => {
  const first = BigInt(await endOfPartition0());
  const span = (id: string, type: string, occurredAt: string, data: object): Envelope => ({ id, type, occurredAt, source: 'api', service: 'poison-service', incidentKey: 'INC-SPAN', data });
  const sequence = [
    span('span-open', 'incident.declared', '0001-01-01T00:00:00Z', { title: 'Since year one', severity: 'P4' }),
    span('span-resolved', 'status.changed', '9000-01-01T00:00:00Z', { status: 'resolved' }),
    note('span-canary', '2025-05-03T10:00:00Z'),
  ];
  await publishRaw(suite.kit, sequence.map((event) => ({ key: event.service, value: JSON.stringify(event), partition: 0 })));
  await waitUntilConsumed(suite.kit);

  const letter = await dlq.forOffset(String(first + 1n));
  expect(JSON.parse(letter.value!.toString()).id).toBe('span-resolved');
  expect(dlq.header(letter, 'aftermath-error')).toMatch(/^SQLSTATE 22003/);
  const stored = await suite.kit.sql<{ event_id: string }>("SELECT event_id FROM events WHERE event_id LIKE 'span-%' ORDER BY event_id");
  expect(stored.map((row) => row.event_id)).toEqual(['span-canary', 'span-open']);
  expect(await getJson(`${suite.stack.timeline}/v1/incidents/INC-SPAN`)).toMatchObject({ eventCount: 1, open: true });
  expect(await ready()).toBe(200);
}, 120_000);

test('a record batch that gunzips past the limit is dead-lettered as placeholders with the reason; the canary behind it is stored', async () => {
  const before = await storedEventCount(suite.kit);
  const bombOffset = await endOfPartition0();
  // A few KiB of gzip on the wire, more than MAX_DECOMPRESSED_BATCH_BYTES once decompressed.
  const bomb = Buffer.alloc(MAX_DECOMPRESSED_BATCH_BYTES + 1024, 0x20);
  await suite.kit.producer.send({ topic: suite.kit.topics.events, acks: -1, compression: CompressionTypes.GZIP, messages: [{ key: 'bomb', value: bomb, partition: 0 }] });
  expect(gzipSync(bomb).length).toBeLessThan(100_000);
  await publishRaw(suite.kit, [{ key: 'poison-service', value: JSON.stringify(note('poison-canary-2', '2025-05-03T09:06:00Z')), partition: 0 }]);

  await waitFor(async () => (await storedEventCount(suite.kit)) === before + 1, 'the canary behind the gzip bomb');
  const letter = await dlq.forOffset(bombOffset);
  expect(letter.value).toBeNull();
  expect(dlq.header(letter, 'aftermath-error')).toMatch(/decompresses to more than/);
  expect(await suite.kit.sql("SELECT 1 FROM events WHERE event_id = 'poison-canary-2'")).toHaveLength(1);
  expect(await ready()).toBe(200);
}, 120_000);
