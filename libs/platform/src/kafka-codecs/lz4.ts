import lz4 from 'lz4-napi';
import { forEachFrame } from './frames.js';
import { DecompressedTooLarge, readOnlyCodec, type BoundedDecoder } from './undecodable-batch.js';

const FRAME_MAGIC = 0x184d2204;
/** The block maximum sizes a frame descriptor's BD byte may name (4: 64 KiB ... 7: 4 MiB). */
const BLOCK_MAX_BYTES: Record<number, number> = { 4: 64 << 10, 5: 256 << 10, 6: 1 << 20, 7: 4 << 20 };

/**
 * The most the LZ4 frames in `compressed` can decompress to, read from their headers without decompressing
 * anything: each block says its compressed size, and a compressed block yields at most the frame's block
 * maximum. Kafka's LZ4 is the LZ4 frame format (KIP-57), 64 KiB blocks from Java clients and librdkafka,
 * every block full but the last, so for them this is the exact size rounded up to one block. Throws on a
 * frame that is malformed or cut short.
 */
export function lz4FramesBound(compressed: Buffer): number {
  let bound = 0;
  forEachFrame(compressed, 'an lz4', FRAME_MAGIC, (cursor) => {
    const flags = cursor.byte();
    const blockMax = BLOCK_MAX_BYTES[(cursor.byte(1) >> 4) & 0x7];
    if (flags >> 6 !== 1 || blockMax === undefined) throw new Error('an lz4 frame descriptor of an unknown version or block size');
    const blockChecksum = (flags & 0x10) !== 0;
    // FLG, BD, the content size and dictionary id when flagged, the header checksum
    cursor.skip(2 + (flags & 0x08 ? 8 : 0) + (flags & 0x01 ? 4 : 0) + 1);
    for (let word = cursor.uint32le(); word !== 0; word = cursor.uint32le()) {
      const size = word & 0x7fffffff;
      if (size > blockMax) throw new Error('an lz4 block larger than its frame allows');
      bound += word & 0x80000000 ? size : blockMax;
      cursor.skip(size + (blockChecksum ? 4 : 0));
    }
    cursor.skip(flags & 0x04 ? 4 : 0);
  });
  return bound;
}

/**
 * lz4_flex (through lz4-napi) decodes and checks the frames; it has no output limit, so the headers are read
 * first: a frame that may exceed the limit by more than one block is refused undecoded, and the output is
 * checked against the limit after, so at most one block more than the limit is ever allocated.
 */
export const unlz4: BoundedDecoder = (compressed, limit) => {
  if (lz4FramesBound(compressed) > limit + BLOCK_MAX_BYTES[7]!) throw new DecompressedTooLarge(limit, false);
  const out = lz4.decompressFrameSync(compressed);
  if (out.length > limit) throw new DecompressedTooLarge(limit);
  return out;
};

/** Reads LZ4 record batches, bounded; this service never produces LZ4. */
export const boundedLz4Codec = readOnlyCodec('lz4', unlz4);
