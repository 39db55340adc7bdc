import { Decompress } from 'fzstd';
import { forEachFrame } from './frames.js';
import { DecompressedTooLarge, readOnlyCodec, type BoundedDecoder } from './undecodable-batch.js';

const FRAME_MAGIC = 0xfd2fb528;

/**
 * Walks the zstd frames in `compressed` (RFC 8878: frame header, blocks with 3-byte headers, optional
 * checksum) before decoding: a decoder allocates each frame's window up front, and a frame header alone may
 * ask for 2 GiB, so a frame whose window or stated content size is over the limit is refused undecoded.
 * Throws on a frame that is malformed or cut short.
 */
export function checkZstdFrames(compressed: Buffer, limit: number): void {
  forEachFrame(compressed, 'a zstd', FRAME_MAGIC, (cursor) => {
    const descriptor = cursor.byte();
    if (descriptor & 0x08) throw new Error('a zstd frame header with its reserved bit set');
    const singleSegment = (descriptor & 0x20) !== 0;
    const contentSizeBytes = [singleSegment ? 1 : 0, 2, 4, 8][descriptor >> 6]!;
    cursor.skip(1);
    let window = 0;
    if (!singleSegment) {
      const base = 2 ** (10 + (cursor.byte() >> 3));
      window = base + (base / 8) * (cursor.byte() & 0x07);
      cursor.skip(1);
    }
    cursor.skip([0, 1, 2, 4][descriptor & 0x03]!);
    if (contentSizeBytes > 0) {
      let contentSize = 0;
      for (let byte = contentSizeBytes - 1; byte >= 0; byte -= 1) contentSize = contentSize * 256 + cursor.byte(byte);
      if (contentSizeBytes === 2) contentSize += 256;
      if (contentSize > limit) throw new DecompressedTooLarge(limit);
      if (singleSegment) window = contentSize;
      cursor.skip(contentSizeBytes);
    }
    if (window > limit) throw new DecompressedTooLarge(limit, false);
    for (let last = false; !last; ) {
      const header = cursor.byte() | (cursor.byte(1) << 8) | (cursor.byte(2) << 16);
      last = (header & 1) === 1;
      const type = (header >> 1) & 3;
      if (type === 3) throw new Error('a zstd block of the reserved type');
      // an RLE block (type 1) is one byte repeated; raw and compressed blocks are as long as they say
      cursor.skip(3 + (type === 1 ? 1 : header >>> 3));
    }
    cursor.skip(descriptor & 0x04 ? 4 : 0);
  });
}

class Stop extends Error {}

/**
 * fzstd decodes; its streaming interface hands over each block as it is decoded, so the output is counted
 * and decoding stops at the limit, and the frames' windows were checked before (checkZstdFrames).
 */
export const unzstd: BoundedDecoder = (compressed, limit) => {
  checkZstdFrames(compressed, limit);
  const chunks: Uint8Array[] = [];
  let total = 0;
  const decoder = new Decompress((chunk) => {
    total += chunk.length;
    if (total > limit) throw new Stop();
    chunks.push(chunk);
  });
  try {
    decoder.push(compressed, true);
  } catch (error) {
    throw error instanceof Stop ? new DecompressedTooLarge(limit) : error;
  }
  return Buffer.concat(chunks, total);
};

/** Reads zstd record batches, bounded; this service never produces zstd. */
export const boundedZstdCodec = readOnlyCodec('zstd', unzstd);
