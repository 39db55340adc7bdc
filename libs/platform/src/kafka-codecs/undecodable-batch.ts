import { messageOf } from '@app/domain';
import { readVarUint32, zigZagDecode } from './varint.js';

/**
 * A record batch may not decompress to more than this, whatever its codec. Any Kafka client can produce to
 * the topics; a few KiB of gzip, zstd or lz4 can expand to gigabytes. An honest batch is at most the topic's
 * max.message.bytes (4 MiB) compressed, well under this for JSON events.
 */
export const MAX_DECOMPRESSED_BATCH_BYTES = 32 * 1024 * 1024;

/** Marks the placeholder records of a record batch that could not be decompressed; its value is the reason. */
export const UNDECODABLE_BATCH_HEADER = 'aftermath-undecodable';

/**
 * Placeholders stand for at most this many records of one batch (each costs kafkajs about 200 bytes of heap).
 * kafkajs decodes as many records as the batch claims, so a batch claiming more cannot be turned into
 * placeholders: its decompression error stops the consumer, as before (docs/reliability.md says so).
 */
export const MAX_PLACEHOLDERS = 10_000;

/** Thrown by a decoder that would produce more than its limit; nothing past the limit was allocated. */
export class DecompressedTooLarge extends Error {
  constructor(readonly limit: number, exactly = true) {
    super(`record batch refused: it ${exactly ? 'decompresses' : 'may decompress'} to more than ${limit} bytes`);
  }
}

/** Decompresses a codec's bytes, at most `limit` bytes of output or DecompressedTooLarge; throws on anything malformed. */
export type BoundedDecoder = (compressed: Buffer, limit: number) => Buffer;

/**
 * Runs a codec's decoder on a record batch kafkajs fetched, so that no batch can stop the consumer: a batch
 * that is over the limit, malformed for its codec, or that decompresses to something other than the records
 * it claims, becomes one placeholder record per record it claims (no key or value, offsets as in the batch,
 * a header with the reason), which the batch transport sends to the dead-letter topic. Without this, kafkajs
 * would fail the whole fetch, again and again, and the partition (in fact the consumer) would stop for good.
 */
export function decodeRecordBatch(codec: string, compressed: Buffer, decode: BoundedDecoder, limit = MAX_DECOMPRESSED_BATCH_BYTES): Buffer {
  const records = v2RecordCount(compressed);
  try {
    const decoded = decode(compressed, limit);
    if (decoded.length > limit) throw new DecompressedTooLarge(limit);
    if (records !== null) checkRecordFraming(decoded, records);
    return decoded;
  } catch (error) {
    if (records === null || records > MAX_PLACEHOLDERS) throw error;
    const reason = error instanceof DecompressedTooLarge ? error.message : `record batch refused: not valid ${codec} (${messageOf(error)})`;
    return placeholderRecords(records, reason.slice(0, 1000));
  }
}

/** A kafkajs codec that reads `codec` through decodeRecordBatch; kafkajs calls compress only for a codec a producer of ours chose. */
export function readOnlyCodec(codec: string, decode: BoundedDecoder) {
  return {
    async compress(): Promise<Buffer> {
      throw new Error(`Aftermath produces gzip only; ${codec} is read, not written`);
    },
    async decompress(buffer: Buffer): Promise<Buffer> {
      return decodeRecordBatch(codec, buffer, decode);
    },
  };
}

/** A v2 record batch's header (KIP-98) up to its record count, which kafkajs reads before the records. */
const V2_HEADER_BYTES = 61;
/** batchLength counts from partitionLeaderEpoch (byte 12) to the end of the batch. */
const V2_LENGTH_OVERHEAD = V2_HEADER_BYTES - 12;

/**
 * The record count of the v2 record batch whose compressed records `buffer` is, or null when it is not one.
 * kafkajs (2.2.4, pinned) hands a codec the compressed records as a slice of the fetch response, right
 * after the batch header: magic 2 at byte 16 and a batchLength that matches are checked, so that a legacy
 * message set's value (the other caller of decompress) is never mistaken for one.
 */
function v2RecordCount(buffer: Buffer): number | null {
  if (buffer.byteOffset < V2_HEADER_BYTES) return null;
  const header = new DataView(buffer.buffer, buffer.byteOffset - V2_HEADER_BYTES, V2_HEADER_BYTES);
  if (header.getInt8(16) !== 2 || header.getInt32(8) !== buffer.length + V2_LENGTH_OVERHEAD) return null;
  const count = header.getInt32(V2_HEADER_BYTES - 4);
  return count > 0 ? count : null;
}

/**
 * Every record is a varint length and that many bytes, and the batch holds exactly the records it claims.
 * kafkajs would throw mid-fetch on anything else (a decoder that disagrees with the producer's, say), so
 * this is checked here, where it can still become placeholders.
 */
function checkRecordFraming(decoded: Buffer, records: number): void {
  let at = 0;
  for (let record = 0; record < records; record += 1) {
    if (at >= decoded.length) throw new Error(`holds fewer than the ${records} records it claims`);
    const { value, next } = readVarUint32(decoded, at);
    const length = zigZagDecode(value);
    if (length <= 0 || next + length > decoded.length) throw new Error(`record ${record} of ${records} runs past the end`);
    at = next + length;
  }
  if (at !== decoded.length) throw new Error(`holds more than the ${records} records it claims`);
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
