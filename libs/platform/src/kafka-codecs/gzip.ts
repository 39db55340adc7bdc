import { gzipSync, unzipSync } from 'node:zlib';
import { decodeRecordBatch, DecompressedTooLarge, MAX_DECOMPRESSED_BATCH_BYTES } from './undecodable-batch.js';

/**
 * kafkajs' GZIP codec (the same wire format), with zlib's synchronous calls at level 1 instead of its
 * asynchronous ones at the default level: for the record batches of a few KiB a busy pipeline sends, the
 * thread-pool hand-offs cost far more than the compression itself (figures: docs/benchmarks.md, "Kafka
 * gzip codec"). A 1 MiB request blocks the event loop for a few milliseconds. Decompression is bounded:
 * boundedGunzip.
 */
export const fastGzipCodec = {
  async compress(encoder: { buffer: Buffer }): Promise<Buffer> {
    return gzipSync(encoder.buffer, { level: 1 });
  },
  async decompress(buffer: Buffer): Promise<Buffer> {
    return boundedGunzip(buffer);
  },
};

/** Gunzip with an output limit; a batch over it or not gzip at all becomes placeholders (decodeRecordBatch). */
export function boundedGunzip(buffer: Buffer, maxOutputLength = MAX_DECOMPRESSED_BATCH_BYTES): Buffer {
  return decodeRecordBatch('gzip', buffer, gunzipAtMost, maxOutputLength);
}

function gunzipAtMost(compressed: Buffer, limit: number): Buffer {
  try {
    return unzipSync(compressed, { maxOutputLength: limit });
  } catch (error) {
    if ((error as { code?: string }).code === 'ERR_BUFFER_TOO_LARGE') throw new DecompressedTooLarge(limit);
    throw error;
  }
}
