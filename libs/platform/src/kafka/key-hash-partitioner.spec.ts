import { createRequire } from 'node:module';
import fc from 'fast-check';
import { Partitioners, type PartitionerArgs } from 'kafkajs';
import { KeyHashPartitioner, murmur2 } from './key-hash-partitioner.js';

// kafkajs' own implementation, the reference: same hash, hence the same partition for every key.
const kafkajsMurmur2 = createRequire(import.meta.url)('kafkajs/src/producer/partitioners/default/murmur2.js') as (key: Buffer | string) => number;

const metadata = (count: number) => Array.from({ length: count }, (_, partitionId) => ({ partitionId, leader: 1, replicas: [1], isr: [1], partitionErrorCode: 0 }));
const args = (key: string | Buffer | null, partitions: number, partition?: number): PartitionerArgs => ({
  topic: 't',
  partitionMetadata: metadata(partitions),
  message: { key, value: 'v', ...(partition === undefined ? {} : { partition }) },
});

describe('KeyHashPartitioner', () => {
  it('hashes exactly like kafkajs (and the Java client): known vectors and any bytes', () => {
    for (const key of ['', 'a', 'ab', 'abc', 'abcd', 'order-service', 'inc-84927d4d5d2a19ef', 'ünïcödé ✓']) {
      expect(murmur2(Buffer.from(key))).toBe(kafkajsMurmur2(key));
    }
    fc.assert(fc.property(fc.uint8Array({ maxLength: 64 }), (bytes) => expect(murmur2(bytes)).toBe(kafkajsMurmur2(Buffer.from(bytes)))), { numRuns: 2000 });
  });

  it('puts every keyed message on the partition the default partitioner picks', () => {
    const ours = KeyHashPartitioner();
    const theirs = Partitioners.DefaultPartitioner();
    fc.assert(
      fc.property(fc.string(), fc.integer({ min: 1, max: 64 }), (key, partitions) => {
        expect(ours(args(key, partitions))).toBe(theirs(args(key, partitions)));
      }),
      { numRuns: 2000 },
    );
  });

  it('keeps an explicit partition and spreads messages without a key', () => {
    const ours = KeyHashPartitioner();
    expect(ours(args('k', 6, 4))).toBe(4);
    const spread = new Set(Array.from({ length: 60 }, () => ours(args(null, 6))));
    expect(spread.size).toBeGreaterThan(1);
    expect([...spread].every((p) => p >= 0 && p < 6)).toBe(true);
  });
});
