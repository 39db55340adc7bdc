import kafkajs from 'kafkajs';
import { fastGzipCodec } from './gzip.js';
import { boundedLz4Codec } from './lz4.js';
import { boundedSnappyCodec } from './snappy.js';
import { boundedZstdCodec } from './zstd.js';

// A default import: Node's ESM loader does not see CompressionCodecs among kafkajs' CommonJS named exports.
const { CompressionCodecs, CompressionTypes } = kafkajs;

const stockGzipCodec = CompressionCodecs[CompressionTypes.GZIP];

/**
 * Makes every kafkajs client of this process read every codec a Kafka producer may use: kafkajs 2.2.4 reads
 * only gzip and fails the whole fetch (the consumer, for good) on a snappy, lz4 or zstd batch, which any
 * client (librdkafka's kcat, Vector, Fluent Bit, Java's Kafka Connect) may send, and which a broker whose
 * topic sets compression.type recompresses everything to. Each decoder is bounded
 * (MAX_DECOMPRESSED_BATCH_BYTES), and a batch that cannot be decoded becomes placeholders that the batch
 * transport dead-letters (decodeRecordBatch). We produce gzip only (fastGzipCodec).
 */
export function useKafkaCodecs(): void {
  CompressionCodecs[CompressionTypes.GZIP] = () => fastGzipCodec;
  CompressionCodecs[CompressionTypes.Snappy] = () => boundedSnappyCodec;
  CompressionCodecs[CompressionTypes.LZ4] = () => boundedLz4Codec;
  CompressionCodecs[CompressionTypes.ZSTD] = () => boundedZstdCodec;
}

/** Puts kafkajs' own gzip codec back (the benchmarks' baselines run stock kafkajs in the same process). */
export function useStockGzipCodec(): void {
  CompressionCodecs[CompressionTypes.GZIP] = stockGzipCodec;
}

/** Our gzip codec again after useStockGzipCodec (the benchmarks switch between the two). */
export function useFastGzipCodec(): void {
  CompressionCodecs[CompressionTypes.GZIP] = () => fastGzipCodec;
}
