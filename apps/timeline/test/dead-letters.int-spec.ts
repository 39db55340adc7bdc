import type { Consumer, KafkaMessage } from 'kafkajs';
import { testEnvironment, waitFor } from '../../../test/support/environment.js';
import { startStack, type RunningStack } from '../../../test/support/stack.js';
import { getJson, messagesOn, metric, openKit, publishRaw, storedEventCount, waitUntilConsumed, type Envelope, type TimelineKit } from './support/timeline-kit.js';

/* Poison messages go to the DLQ byte for byte with the reason, and never block their partition. */

const environment = testEnvironment('tl_dlq');
let stack: RunningStack;
let kit: TimelineKit;
let dlqReader: Consumer | undefined;

beforeAll(async () => {
  kit = await openKit(environment);
  stack = await startStack(environment, ['timeline'], kit.serviceEnv);
}, 60_000);

afterAll(async () => {
  if (dlqReader) {
    await dlqReader.disconnect();
    await kit.admin.deleteGroups([`${kit.group}-dlq-reader`]).catch(() => undefined);
  }
  await stack?.close();
  await kit?.close();
  await environment.dropDatabase();
}, 30_000);

const valid = (n: number): Envelope => ({
  id: `dlq-valid-${n}`,
  type: 'note.added',
  occurredAt: `2025-05-03T09:0${n}:00Z`,
  source: 'api',
  service: 'search-service',
  incidentKey: 'INC-DLQ',
  data: { text: `note ${n}` },
});

test('not JSON, invalid UTF-8 and schema failures reach the DLQ with the original bytes; the partition keeps moving', async () => {
  const opener: Envelope = { id: 'dlq-open', type: 'incident.declared', occurredAt: '2025-05-03T09:00:00Z', source: 'api', service: 'search-service', incidentKey: 'INC-DLQ', data: { title: 'Search down', severity: 'P2' } };
  const notJson = Buffer.from('{"id": "half a message", ');
  const invalidUtf8 = Buffer.concat([Buffer.from('{"id":"x","text":"'), Buffer.from([0xc3, 0x28, 0xff, 0xfe]), Buffer.from('"}')]);
  const missingAlertName = Buffer.from(JSON.stringify({ id: 'dlq-bad-alert', type: 'alert.triggered', occurredAt: '2025-05-03T09:01:30Z', source: 'grafana', service: 'search-service', data: { summary: 'no alertName' } }));
  const unknownField = Buffer.from(JSON.stringify({ ...valid(9), id: 'dlq-typo', servce: 'typo' }));
  const poison = [
    { name: 'not JSON', key: 'k-notjson', value: notJson, field: null, reason: /JSON/ },
    { name: 'invalid UTF-8', key: 'k-utf8', value: invalidUtf8, field: null, reason: /UTF-8/ },
    { name: 'missing data.alertName', key: 'search-service', value: missingAlertName, field: 'data.alertName', reason: /data\.alertName/ },
    { name: 'unknown envelope field', key: 'search-service', value: unknownField, field: 'servce', reason: /servce/ },
  ];

  // All on partition 0, valid events before, between and after the poison.
  await publishRaw(kit, [
    { key: 'search-service', value: JSON.stringify(opener), partition: 0 },
    { key: 'search-service', value: JSON.stringify(valid(1)), partition: 0 },
    ...poison.slice(0, 2).map((p) => ({ key: p.key, value: p.value, partition: 0, headers: { 'x-origin': 'test' } })),
    { key: 'search-service', value: JSON.stringify(valid(2)), partition: 0 },
    ...poison.slice(2).map((p) => ({ key: p.key, value: p.value, partition: 0, headers: { 'x-origin': 'test' } })),
    { key: 'search-service', value: JSON.stringify(valid(3)), partition: 0 },
  ]);
  await waitFor(async () => (await storedEventCount(kit)) === 4, 'the valid events around the poison');
  // A later message on the same partition is still consumed: the poison did not stop it.
  await publishRaw(kit, [{ key: 'search-service', value: JSON.stringify(valid(4)), partition: 0 }]);
  await waitUntilConsumed(kit);
  expect(await storedEventCount(kit)).toBe(5);

  const received: KafkaMessage[] = [];
  dlqReader = kit.kafka.consumer({ groupId: `${kit.group}-dlq-reader`, maxWaitTimeInMs: 100 });
  await dlqReader.connect();
  await dlqReader.subscribe({ topic: kit.topics.deadLetters, fromBeginning: true });
  await dlqReader.run({ eachMessage: async ({ message }) => void received.push(message) });
  // The timeline has consumed everything, so the topic holds every letter it will write: read it to its end.
  const onTopic = await messagesOn(kit, kit.topics.deadLetters);
  await waitFor(async () => received.length >= onTopic, 'the dead letters');
  expect(received).toHaveLength(poison.length);

  for (const [i, expected] of poison.entries()) {
    const letter = received[i]!;
    expect(Buffer.compare(letter.value!, expected.value)).toBe(0);
    expect(letter.key?.toString()).toBe(expected.key);
    const header = (name: string) => letter.headers?.[name]?.toString();
    expect(header('aftermath-error')).toMatch(expected.reason);
    if (expected.field) expect(header('aftermath-error-fields')?.split(',')).toContain(expected.field);
    expect(header('aftermath-source-topic')).toBe(kit.topics.events);
    expect(header('aftermath-source-partition')).toBe('0');
    expect(header('x-origin')).toBe('test');
  }
  expect(received.map((m) => m.headers?.['aftermath-source-offset']?.toString())).toEqual(['2', '3', '5', '6']);

  expect(await metric(stack.timeline!, 'aftermath_timeline_events_total', { outcome: 'dead_letter' })).toBe(4);
  const incident = await getJson(`${stack.timeline}/v1/incidents/INC-DLQ`);
  expect(incident.eventCount).toBe(5);
  expect(incident.notes.map((n: { text: string }) => n.text)).toEqual(['note 1', 'note 2', 'note 3', 'note 4']);
}, 90_000);
