import { gzipSync, unzipSync } from 'node:zlib';
import kafkajs from 'kafkajs';
import { messageOf } from '@app/domain';

// A default import: Node's ESM loader does not see CompressionCodecs among kafkajs' CommonJS named exports.
const { CompressionCodecs, CompressionTypes } = kafkajs;

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

/**
 * A record batch may not decompress to more than this. Any Kafka client can produce to the topics; a few
 * KiB of gzip can expand to gigabytes. An honest batch is at most the topic's max.message.bytes (4 MiB)
 * compressed, well under this for JSON events.
 */
export const MAX_DECOMPRESSED_BATCH_BYTES = 32 * 1024 * 1024;

/** Marks the placeholder records of a record batch that could not be decompressed; its value is the reason. */
export const UNDECODABLE_BATCH_HEADER = 'aftermath-undecodable';

/** Placeholders stand for at most this many records of one batch; the consumer reaches the rest on its next fetch. */
const MAX_PLACEHOLDERS = 10_000;

/**
 * Gunzip with an output limit. A record batch that is over the limit or not gzip at all would make kafkajs
 * fail the whole fetch, again and again, and stop the partition for good. Instead it becomes one
 * placeholder record per record it claims to hold: no key or value, offsets as in the batch, and a header
 * with the reason, which the batch transport sends to the dead-letter topic, so the partition moves on.
 */
export function boundedGunzip(buffer: Buffer, maxOutputLength = MAX_DECOMPRESSED_BATCH_BYTES): Buffer {
  try {
    return unzipSync(buffer, { maxOutputLength });
  } catch (error) {
    const reason =
      (error as { code?: string }).code === 'ERR_BUFFER_TOO_LARGE'
        ? `record batch refused: it decompresses to more than ${maxOutputLength} bytes`
        : `record batch refused: not valid gzip (${messageOf(error)})`;
    const records = recordCountBefore(buffer);
    if (records === null) throw error;
    return placeholderRecords(Math.min(records, MAX_PLACEHOLDERS), reason);
  }
}

/**
 * kafkajs (2.2.4, pinned) reads a compressed batch's record count, an int32, right before the compressed
 * bytes it hands the codec, as a slice of the same fetch response: that count sits in the 4 bytes before.
 */
function recordCountBefore(buffer: Buffer): number | null {
  if (buffer.byteOffset < 4) return null;
  const count = new DataView(buffer.buffer, buffer.byteOffset - 4, 4).getInt32(0);
  return count > 0 ? count : null;
}

/** Records as kafkajs' record decoder reads them (every integer a zig-zag varint). */
function placeholderRecords(count: number, reason: string): Buffer {
  const header = [...varInt(Buffer.byteLength(UNDECODABLE_BATCH_HEADER)), ...Buffer.from(UNDECODABLE_BATCH_HEADER), ...varInt(Buffer.byteLength(reason)), ...Buffer.from(reason)];
  const parts: Buffer[] = [];
  for (let offsetDelta = 0; offsetDelta < count; offsetDelta += 1) {
    // attributes, timestamp delta 0, offset delta, key null (-1), value null (-1), one header
    const record = [0, ...varInt(0), ...varInt(offsetDelta), ...varInt(-1), ...varInt(-1), ...varInt(1), ...header];
    parts.push(Buffer.from([...varInt(record.length), ...record]));
  }
  return Buffer.concat(parts);
}

function varInt(value: number): number[] {
  let zigZag = ((value << 1) ^ (value >> 31)) >>> 0;
  const bytes: number[] = [];
  while (zigZag >= 0x80) {
    bytes.push((zigZag & 0x7f) | 0x80);
    zigZag >>>= 7;
  }
  bytes.push(zigZag);
  return bytes;
}

const stockGzipCodec = CompressionCodecs[CompressionTypes.GZIP];

/** Makes every kafkajs client of this process use fastGzipCodec (kafkajs keeps codecs in one registry). */
export function useFastGzipCodec(): void {
  CompressionCodecs[CompressionTypes.GZIP] = () => fastGzipCodec;
}

/** Puts kafkajs' own codec back (the benchmarks' baselines run stock kafkajs in the same process). */
export function useStockGzipCodec(): void {
  CompressionCodecs[CompressionTypes.GZIP] = stockGzipCodec;
}
