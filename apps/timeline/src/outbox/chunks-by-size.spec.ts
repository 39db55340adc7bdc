import { chunksBySize } from './outbox-relay.js';

const message = (bytes: number, key = 'k') => ({ key, value: 'x'.repeat(bytes) });

describe('chunksBySize', () => {
  it('keeps order and never exceeds the limit with more than one message', () => {
    const messages = [message(40, 'a'), message(40, 'b'), message(40, 'c'), message(10, 'd')];
    const chunks = chunksBySize(messages, 100);
    expect(chunks.map((chunk) => chunk.map((m) => m.key))).toEqual([['a', 'b'], ['c', 'd']]);
    expect(chunks.flat()).toEqual(messages);
  });

  it('gives a message larger than the limit a chunk of its own', () => {
    const chunks = chunksBySize([message(10, 'a'), message(500, 'big'), message(10, 'b')], 100);
    expect(chunks.map((chunk) => chunk.map((m) => m.key))).toEqual([['a'], ['big'], ['b']]);
  });

  it('counts bytes, not characters', () => {
    const emoji = { key: 'e', value: '🔥'.repeat(20) }; // 80 bytes in UTF-8, 40 UTF-16 units
    expect(chunksBySize([emoji, emoji], 100)).toHaveLength(2);
  });
});
