import type { KafkaMessage } from 'kafkajs';
import { chunksOfSize } from '../kafka/chunks-by-size.js';
import { approximateBytes, deadLetterMessage } from './dead-letter-topic.js';

const consumed = (bytes: number, offset: string): KafkaMessage => ({ key: Buffer.from('k'), value: Buffer.alloc(bytes), headers: { 'x-origin': Buffer.from('test') }, offset }) as unknown as KafkaMessage;

describe('dead letters', () => {
  it('carry the original bytes and headers plus where they came from and why, with the reason cut to 4000 characters', () => {
    const letter = deadLetterMessage({ message: consumed(10, '7'), reason: 'x'.repeat(10_000), fields: ['occurredAt'] }, { topic: 't', partition: 2 });
    expect(letter.value).toEqual(Buffer.alloc(10));
    expect(letter.headers).toMatchObject({
      'x-origin': Buffer.from('test'),
      'aftermath-error-fields': 'occurredAt',
      'aftermath-source-topic': 't',
      'aftermath-source-partition': '2',
      'aftermath-source-offset': '7',
    });
    expect(letter.headers!['aftermath-error']).toHaveLength(4000);
  });

  it('are sent in requests of bounded size, a larger letter alone', () => {
    const letters = [400, 400, 400, 5000, 100].map((bytes, i) => deadLetterMessage({ message: consumed(bytes, String(i)), reason: 'r' }, { topic: 't', partition: 0 }));
    const requests = chunksOfSize(letters, 1200, approximateBytes);
    expect(requests.map((request) => request.map((letter) => letter.headers!['aftermath-source-offset']))).toEqual([['0', '1'], ['2'], ['3'], ['4']]);
  });
});
