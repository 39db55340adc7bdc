import snappyjs from 'snappyjs';
import { DecompressedTooLarge, readOnlyCodec, type BoundedDecoder } from './undecodable-batch.js';
import { readVarUint32 } from './varint.js';

/** snappy-java's stream header (SnappyOutputStream), which Java clients write before their snappy blocks. */
const XERIAL_MAGIC = Buffer.from([0x82, 0x53, 0x4e, 0x41, 0x50, 0x50, 0x59, 0x00]);
const XERIAL_HEADER_BYTES = 16;

/**
 * Kafka's snappy comes in two shapes: Java clients frame it the xerial way (the magic, two version ints,
 * then blocks of a big-endian int32 length and raw snappy), librdkafka (kcat, Vector, Fluent Bit) sends one
 * raw snappy block. Raw snappy begins with its uncompressed length, so the limit is checked before anything
 * is allocated.
 */
export const unsnappy: BoundedDecoder = (compressed, limit) => {
  if (compressed.length < XERIAL_HEADER_BYTES || !compressed.subarray(0, XERIAL_MAGIC.length).equals(XERIAL_MAGIC)) {
    return uncompressRaw(compressed, limit);
  }
  const blocks: Buffer[] = [];
  let total = 0;
  for (let at = XERIAL_HEADER_BYTES; at < compressed.length; ) {
    if (at + 4 > compressed.length) throw new Error('a xerial block length runs past the end');
    const length = compressed.readInt32BE(at);
    if (length <= 0 || at + 4 + length > compressed.length) throw new Error('a xerial block runs past the end');
    const block = uncompressRaw(compressed.subarray(at + 4, at + 4 + length), limit - total, limit);
    total += block.length;
    blocks.push(block);
    at += 4 + length;
  }
  return Buffer.concat(blocks, total);
};

function uncompressRaw(block: Buffer, room: number, limit = room): Buffer {
  const { value: length } = readVarUint32(block, 0);
  if (length > room) throw new DecompressedTooLarge(limit);
  // snappyjs fills a buffer of the stated length; a stream that falls short leaves zeros, which the record
  // framing check of decodeRecordBatch refuses.
  return snappyjs.uncompress(block, room);
}

/** Reads snappy record batches, raw or xerial-framed, bounded; this service never produces snappy. */
export const boundedSnappyCodec = readOnlyCodec('snappy', unsnappy);
