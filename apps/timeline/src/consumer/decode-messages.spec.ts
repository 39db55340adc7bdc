import type { KafkaMessage } from 'kafkajs';
import { decodeMessages } from './decode-messages.js';

const message = (value: Buffer | null, offset: string): KafkaMessage =>
  ({ key: null, value, offset, timestamp: "0", attributes: 0, headers: {} }) as unknown as KafkaMessage;
const valid = { id: 'e1', type: 'note.added', occurredAt: '2025-04-05T10:00:00Z', source: 'api', service: 'orders', data: { text: 'hello' } };

describe('decodeMessages', () => {
  it('keeps valid envelopes with their partition and offset, in order', () => {
    const { events, deadLetters } = decodeMessages(3, [
      message(Buffer.from(JSON.stringify(valid)), '7'),
      message(Buffer.from(JSON.stringify({ ...valid, id: 'e2' })), '8'),
    ]);
    expect(deadLetters).toEqual([]);
    expect(events.map((e) => [e.event.id, e.partition, e.offset])).toEqual([['e1', 3, '7'], ['e2', 3, '8']]);
  });

  it('sends invalid UTF-8, non-JSON and empty values to dead letters, never with replacement characters', () => {
    const { events, deadLetters } = decodeMessages(0, [
      message(Buffer.from([0x7b, 0xff, 0x7d]), '1'),
      message(Buffer.from('not json'), '2'),
      message(null, '3'),
    ]);
    expect(events).toEqual([]);
    expect(deadLetters.map((d) => [d.message.offset, d.reason.startsWith('not valid UTF-8 JSON'), d.fields])).toEqual([
      ['1', true, []],
      ['2', true, []],
      ['3', true, []],
    ]);
  });

  it('names each failing field of an envelope that does not validate, and keeps the valid ones beside it', () => {
    const { events, deadLetters } = decodeMessages(1, [
      message(Buffer.from(JSON.stringify({ ...valid, occurredAt: 'yesterday', service: '' })), '4'),
      message(Buffer.from(JSON.stringify(valid)), '5'),
    ]);
    expect(events.map((e) => e.event.id)).toEqual(['e1']);
    expect(deadLetters).toHaveLength(1);
    expect(deadLetters[0]!.fields).toEqual(expect.arrayContaining(['occurredAt', 'service']));
    expect(deadLetters[0]!.reason).toContain('occurredAt: ');
  });
});
