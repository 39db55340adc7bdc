import { Partitioners, type ICustomPartitioner } from 'kafkajs';

const M = 0x5bd1e995;

/**
 * Kafka's murmur2 (the Java client's `Utils.murmur2`, which kafkajs' default partitioner copies) in
 * 32-bit integer arithmetic. kafkajs computes it with a 64-bit Long emulation that allocates several
 * objects per byte group; only the low 32 bits ever count, so Math.imul gives the same hash.
 */
export function murmur2(data: Uint8Array): number {
  const length = data.length;
  let h = (0x9747b28c ^ length) | 0;
  const whole = length & ~3;
  for (let i = 0; i < whole; i += 4) {
    let k = data[i]! | (data[i + 1]! << 8) | (data[i + 2]! << 16) | (data[i + 3]! << 24);
    k = Math.imul(k, M);
    k ^= k >>> 24;
    k = Math.imul(k, M);
    h = Math.imul(h, M) ^ k;
  }
  const tail = length & 3;
  if (tail > 0) {
    if (tail === 3) h ^= data[whole + 2]! << 16;
    if (tail >= 2) h ^= data[whole + 1]! << 8;
    h ^= data[whole]!;
    h = Math.imul(h, M);
  }
  h ^= h >>> 13;
  h = Math.imul(h, M);
  h ^= h >>> 15;
  return h | 0;
}

/**
 * kafkajs' default partitioner with the fast murmur2: a keyed message goes to the same partition as
 * with the default (and the Java client), so per-key order holds across versions and clients.
 * Messages without a key, or with an explicit partition, are left to the default.
 */
export const KeyHashPartitioner: ICustomPartitioner = () => {
  const fallback = Partitioners.DefaultPartitioner();
  return (args) => {
    const { message, partitionMetadata } = args;
    if (message.partition !== undefined && message.partition !== null) return message.partition;
    if (message.key === undefined || message.key === null || partitionMetadata.length === 0) return fallback(args);
    const key = typeof message.key === 'string' ? Buffer.from(message.key) : message.key;
    return (murmur2(key) & 0x7fffffff) % partitionMetadata.length;
  };
};
