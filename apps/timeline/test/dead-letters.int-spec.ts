import type { Consumer, KafkaMessage } from 'kafkajs';
import { testEnvironment, waitFor } from '../../../test/support/environment.js';
import { getJson, messagesOn, metric, publishRaw, runningTimeline, storedEventCount, waitUntilConsumed, type Envelope } from './support/timeline-kit.js';

/* Poison messages go to the DLQ byte for byte with the reason, and never block their partition. */

const environment = testEnvironment('tl_dlq');
let dlqReader: Consumer | undefined;

// Declared first, so it runs before runningTimeline's clean-up closes the kit.
afterAll(async () => {
  if (dlqReader) {
    await dlqReader.disconnect();
    await suite.kit.admin.deleteGroups([`${suite.kit.group}-dlq-reader`]).catch(() => undefined);
  }
}, 30_000);

const suite = runningTimeline(environment);

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
  await publishRaw(suite.kit, [
    { key: 'search-service', value: JSON.stringify(opener), partition: 0 },
    { key: 'search-service', value: JSON.stringify(valid(1)), partition: 0 },
    ...poison.slice(0, 2).map((p) => ({ key: p.key, value: p.value, partition: 0, headers: { 'x-origin': 'test' } })),
    { key: 'search-service', value: JSON.stringify(valid(2)), partition: 0 },
    ...poison.slice(2).map((p) => ({ key: p.key, value: p.value, partition: 0, headers: { 'x-origin': 'test' } })),
    { key: 'search-service', value: JSON.stringify(valid(3)), partition: 0 },
  ]);
  await waitFor(async () => (await storedEventCount(suite.kit)) === 4, 'the valid events around the poison');
  // A later message on the same partition is still consumed: the poison did not stop it.
  await publishRaw(suite.kit, [{ key: 'search-service', value: JSON.stringify(valid(4)), partition: 0 }]);
  await waitUntilConsumed(suite.kit);
  expect(await storedEventCount(suite.kit)).toBe(5);

  const received: KafkaMessage[] = [];
  dlqReader = suite.kit.kafka.consumer({ groupId: `${suite.kit.group}-dlq-reader`, maxWaitTimeInMs: 100 });
  await dlqReader.connect();
  await dlqReader.subscribe({ topic: suite.kit.topics.deadLetters, fromBeginning: true });
  await dlqReader.run({ eachMessage: async ({ message }) => void received.push(message) });
  // The timeline has consumed everything, so the topic holds every letter it will write: read it to its end.
  const onTopic = await messagesOn(suite.kit, suite.kit.topics.deadLetters);
  await waitFor(async () => received.length >= onTopic, 'the dead letters');
  expect(received).toHaveLength(poison.length);

  for (const [i, expected] of poison.entries()) {
    const letter = received[i]!;
    expect(Buffer.compare(letter.value!, expected.value)).toBe(0);
    expect(letter.key?.toString()).toBe(expected.key);
    const header = (name: string) => letter.headers?.[name]?.toString();
    expect(header('aftermath-error')).toMatch(expected.reason);
    if (expected.field) expect(header('aftermath-error-fields')?.split(',')).toContain(expected.field);
    expect(header('aftermath-source-topic')).toBe(suite.kit.topics.events);
    expect(header('aftermath-source-partition')).toBe('0');
    expect(header('x-origin')).toBe('test');
  }
  expect(received.map((m) => m.headers?.['aftermath-source-offset']?.toString())).toEqual(['2', '3', '5', '6']);

  expect(await metric(suite.stack.timeline!, 'aftermath_timeline_events_total', { outcome: 'dead_letter' })).toBe(4);
  const incident = await getJson(`${suite.stack.timeline}/v1/incidents/INC-DLQ`);
  expect(incident.eventCount).toBe(5);
  expect(incident.notes.map((n: { text: string }) => n.text)).toEqual(['note 1', 'note 2', 'note 3', 'note 4']);
}, 90_000);
