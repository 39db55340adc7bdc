import { gzipSync, unzipSync } from 'node:zlib';
import kafkajs from 'kafkajs';

// A default import: Node's ESM loader does not see CompressionCodecs among kafkajs' CommonJS named exports.
const { CompressionCodecs, CompressionTypes } = kafkajs;

/**
 * kafkajs' GZIP codec (the same wire format), with zlib's synchronous calls at level 1. kafkajs uses
 * the asynchronous ones at the default level: for the record batches of a few KiB that a busy pipeline
 * sends, each call then costs about 200 µs of CPU in thread-pool hand-offs and stream set-up, ten times
 * the compression itself; synchronous level 1 costs 25-30 µs (and 10-25 µs to decompress) while
 * compressing JSON events to about 1/10 (level 6: 1/15). A 1 MiB request blocks the event loop for a
 * few milliseconds.
 */
export const fastGzipCodec = {
  async compress(encoder: { buffer: Buffer }): Promise<Buffer> {
    return gzipSync(encoder.buffer, { level: 1 });
  },
  async decompress(buffer: Buffer): Promise<Buffer> {
    return unzipSync(buffer);
  },
};

const stockGzipCodec = CompressionCodecs[CompressionTypes.GZIP];

/** Makes every kafkajs client of this process use fastGzipCodec (kafkajs keeps codecs in one registry). */
export function useFastGzipCodec(): void {
  CompressionCodecs[CompressionTypes.GZIP] = () => fastGzipCodec;
}

/** Puts kafkajs' own codec back (the benchmarks' baselines run stock kafkajs in the same process). */
export function useStockGzipCodec(): void {
  CompressionCodecs[CompressionTypes.GZIP] = stockGzipCodec;
}
