import type { KafkaMessage } from 'kafkajs';
import { deadLetterRow } from './dead-letter-row.js';

/* What a letter's headers may hold that a row cannot, and what the row holds instead. */

const message = (headers: Record<string, string | Buffer>, offset = '5'): KafkaMessage =>
  ({ key: Buffer.from('k'), value: Buffer.from([0x00, 0xff]), headers, offset, timestamp: '1748772000000', attributes: 0, size: 0 }) as unknown as KafkaMessage;

it("names a kept-aside body by ingest's id, a refused message by its place in its topic (a re-delivery is one row)", () => {
  expect(deadLetterRow(message({ 'aftermath-dead-letter-id': 'dl-abc', 'aftermath-kind': 'webhook', 'aftermath-webhook': 'grafana' }), 'incident-events.dlq.v1', 'p.incident-events.dlq.v1')).toMatchObject({
    id: 'dl-abc',
    kind: 'webhook',
    source: 'grafana',
  });
  const refused = { 'aftermath-source-topic': 'p.incident-timeline.v1', 'aftermath-source-partition': '2', 'aftermath-source-offset': '41' };
  const first = deadLetterRow(message(refused, '7'), 'incident-timeline.dlq.v1', 'p.incident-timeline.dlq.v1');
  const again = deadLetterRow(message(refused, '8'), 'incident-timeline.dlq.v1', 'p.incident-timeline.dlq.v1');
  expect(first).toMatchObject({ id: again.id, topic: 'incident-timeline.dlq.v1', kind: 'event', source: 'p.incident-timeline.v1' });
});

it('an id too long for the primary key is named by its hash; key and body stay the bytes that came', () => {
  const row = deadLetterRow(message({ 'aftermath-dead-letter-id': 'x'.repeat(5000) }), 'incident-events.dlq.v1', 'incident-events.dlq.v1');
  expect(row.id).toMatch(/^dl-[0-9a-f]{32}$/);
  expect([row.key, row.body]).toEqual([Buffer.from('k'), Buffer.from([0x00, 0xff])]);
});

it('a received-at no timestamptz holds, or none at all, falls back to the message timestamp', () => {
  for (const receivedAt of ['+275760-09-13T00:00:00.000Z', '-000001-01-01T00:00:00Z', 'not a date']) {
    expect(deadLetterRow(message({ 'aftermath-received-at': receivedAt }), 'incident-events.dlq.v1', 'incident-events.dlq.v1').receivedAt.toISOString()).toBe('2025-06-01T10:00:00.000Z');
  }
  expect(deadLetterRow(message({ 'aftermath-received-at': '2026-01-02T03:04:05Z' }), 'incident-events.dlq.v1', 'incident-events.dlq.v1').receivedAt.toISOString()).toBe('2026-01-02T03:04:05.000Z');
});

it('parts that are not JSON are left out; a header name holding NUL is escaped like its value', () => {
  const row = deadLetterRow(message({ 'aftermath-kept-aside': '[{"at": ', 'x-\u0000': 'v\u0000' }), 'incident-events.dlq.v1', 'incident-events.dlq.v1');
  expect([row.parts, row.headers]).toEqual([null, { 'aftermath-kept-aside': '[{"at": ', 'x-\\u0000': 'v\\u0000' }]);
});
