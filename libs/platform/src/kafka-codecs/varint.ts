/** An unsigned LEB128 varint of at most 32 bits at `at` (Kafka's record lengths before zig-zag, snappy's length preamble). */
export function readVarUint32(buffer: Uint8Array, at: number): { value: number; next: number } {
  let value = 0;
  for (let shift = 0, next = at; shift < 35; shift += 7) {
    if (next >= buffer.length) throw new Error('a varint runs past the end');
    const byte = buffer[next++]!;
    value = (value | ((byte & 0x7f) << shift)) >>> 0;
    if ((byte & 0x80) === 0) return { value, next };
  }
  throw new Error('a varint longer than 5 bytes');
}

/** Zig-zag encoding as kafkajs reads it: 0, -1, 1, -2, ... */
export function zigZagDecode(value: number): number {
  return (value >>> 1) ^ -(value & 1);
}
