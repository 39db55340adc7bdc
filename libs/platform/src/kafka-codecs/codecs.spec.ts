import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { gzipSync } from 'node:zlib';
import fc from 'fast-check';
import { CompressionCodecs, CompressionTypes } from 'kafkajs';
import lz4 from 'lz4-napi';
import snappyjs from 'snappyjs';
import { boundedGunzip, fastGzipCodec } from './gzip.js';
import { boundedLz4Codec, lz4FramesBound, unlz4 } from './lz4.js';
import { useKafkaCodecs } from './register-codecs.js';
import { boundedSnappyCodec, unsnappy } from './snappy.js';
import { MAX_DECOMPRESSED_BATCH_BYTES, MAX_PLACEHOLDERS, UNDECODABLE_BATCH_HEADER } from './undecodable-batch.js';
import { boundedZstdCodec, unzstd } from './zstd.js';

// kafkajs' own readers: what a codec returns must decode as kafkajs decodes a fetched record batch.
const require = createRequire(import.meta.url);
const Decoder = require('kafkajs/src/protocol/decoder.js');
const decodeRecord = require('kafkajs/src/protocol/recordBatch/record/v0/decoder.js');

type Codec = { decompress(buffer: Buffer): Promise<Buffer> };
const codecs: Record<string, Codec> = { gzip: fastGzipCodec, snappy: boundedSnappyCodec, lz4: boundedLz4Codec, zstd: boundedZstdCodec };

/**
 * The compressed records as kafkajs hands them to a codec: a slice of the fetch response, right after the
 * v2 batch header (magic 2 at byte 16, batchLength at byte 8, the record count in the last 4 bytes).
 */
const asFetched = (records: number, compressed: Buffer) => {
  const header = Buffer.alloc(61);
  header.writeInt32BE(compressed.length + 49, 8);
  header.writeInt8(2, 16);
  header.writeInt32BE(records, 57);
  return Buffer.concat([Buffer.from([9, 9]), header, compressed]).subarray(2 + 61);
};

interface DecodedRecord {
  offset: string;
  key: Buffer | null;
  value: Buffer | null;
  headers: Record<string, Buffer>;
}
const readRecords = (decompressed: Buffer, count: number): DecodedRecord[] => {
  const decoder = new Decoder(decompressed);
  return Array.from({ length: count }, () => decodeRecord(new Decoder(decoder.readVarIntBytes()), { firstOffset: '40', firstTimestamp: '0' }));
};

/** Kafka records (v2) of the given values, uncompressed, as a producer lays them out before compressing. */
const recordsOf = (values: Buffer[]) => {
  const varInt = (value: number) => {
    const bytes: number[] = [];
    let zigZag = ((value << 1) ^ (value >> 31)) >>> 0;
    while (zigZag >= 0x80) {
      bytes.push((zigZag & 0x7f) | 0x80);
      zigZag >>>= 7;
    }
    return [...bytes, zigZag];
  };
  return Buffer.concat(
    values.map((value, offsetDelta) => {
      const record = Buffer.concat([Buffer.from([0, ...varInt(0), ...varInt(offsetDelta), ...varInt(-1), ...varInt(value.length)]), value, Buffer.from(varInt(0))]);
      return Buffer.concat([Buffer.from(varInt(record.length)), record]);
    }),
  );
};

/** Java clients' snappy: snappy-java's stream header, then blocks of a big-endian length and raw snappy. */
const xerial = (blocks: Buffer[]) =>
  Buffer.concat([
    Buffer.from([0x82, 0x53, 0x4e, 0x41, 0x50, 0x50, 0x59, 0x00, 0, 0, 0, 1, 0, 0, 0, 1]),
    ...blocks.flatMap((block) => {
      const compressed = Buffer.from(snappyjs.compress(block));
      const length = Buffer.alloc(4);
      length.writeInt32BE(compressed.length);
      return [length, compressed];
    }),
  ]);

/**
 * A zstd frame built by hand (RFC 8878) from raw and RLE blocks: a valid frame of any content, so that the
 * decoder can be checked against arbitrary data without a zstd compressor in JavaScript. Its window is
 * 128 KiB (descriptor 0x38), the largest a block may be.
 */
const zstdFrame = (blocks: ({ raw: Buffer } | { rle: number; times: number })[], header = Buffer.from([0x28, 0xb5, 0x2f, 0xfd, 0x00, 0x38])) =>
  Buffer.concat([
    header,
    ...blocks.map((block, index) => {
      const last = index === blocks.length - 1 ? 1 : 0;
      const size = 'raw' in block ? block.raw.length : block.times;
      const blockHeader = (size << 3) | (('raw' in block ? 0 : 1) << 1) | last;
      return Buffer.concat([Buffer.from([blockHeader & 0xff, (blockHeader >> 8) & 0xff, (blockHeader >> 16) & 0xff]), 'raw' in block ? block.raw : Buffer.from([block.rle])]);
    }),
  ]);
/** 128 KiB blocks of one byte: a few bytes of zstd per block. */
const zstdBomb = (bytes: number) => zstdFrame(Array.from({ length: Math.ceil(bytes / 131072) }, () => ({ rle: 0x20, times: 131072 })));

const batches = (JSON.parse(readFileSync(new URL('../../../../test/fixtures/kafka-record-batches.json', import.meta.url), 'utf8')) as {
  batches: { producer: string; codec: string; key: string | null; values: string[]; compressedHex: string }[];
}).batches;

describe('the codecs read what real Kafka producers write', () => {
  // Captured from a broker: kcat (librdkafka: raw snappy, LZ4 frames, zstd) and the Java client (xerial-framed snappy, KafkaLZ4BlockOutputStream).
  it.each(batches.map((batch) => [batch.producer, batch.codec, batch] as const))('%s %s', async (_producer, codec, batch) => {
    const compressed = asFetched(batch.values.length, Buffer.from(batch.compressedHex, 'hex'));
    const records = readRecords(await codecs[codec]!.decompress(compressed), batch.values.length);
    expect(records.map((record) => record.value!.toString())).toEqual(batch.values);
    expect(records.map((record) => record.key?.toString() ?? null)).toEqual(batch.values.map(() => batch.key));
    expect(records.every((record) => record.headers[UNDECODABLE_BATCH_HEADER] === undefined)).toBe(true);
  });

  it('covers every codec kafkajs names, for both producers', () => {
    expect(new Set(batches.map((batch) => `${batch.producer} ${batch.codec}`))).toEqual(
      new Set(['librdkafka', 'java'].flatMap((producer) => ['gzip', 'snappy', 'lz4', 'zstd'].map((codec) => `${producer} ${codec}`))),
    );
  });

  it('are what kafkajs looks up for each compression type', () => {
    useKafkaCodecs();
    expect(CompressionCodecs[CompressionTypes.GZIP]()).toBe(fastGzipCodec);
    expect(CompressionCodecs[CompressionTypes.Snappy]()).toBe(boundedSnappyCodec);
    expect(CompressionCodecs[CompressionTypes.LZ4]()).toBe(boundedLz4Codec);
    expect(CompressionCodecs[CompressionTypes.ZSTD]()).toBe(boundedZstdCodec);
  });
});

describe('each decoder gives back exactly what was compressed', () => {
  const contents = fc.array(fc.uint8Array({ maxLength: 5000 }), { minLength: 1, maxLength: 6 }).map((parts) => parts.map((part) => Buffer.from(part)));

  it('snappy, raw (librdkafka) and xerial-framed (Java) with any number of blocks', () => {
    fc.assert(
      fc.property(contents, (parts) => {
        const whole = Buffer.concat(parts);
        expect(unsnappy(Buffer.from(snappyjs.compress(whole)), 1 << 20)).toEqual(whole);
        expect(unsnappy(xerial(parts), 1 << 20)).toEqual(whole);
      }),
      { numRuns: 200 },
    );
  });

  it('lz4 frames (lz4_flex writes them; its frames bound their own output)', () => {
    fc.assert(
      fc.property(contents, (parts) => {
        const whole = Buffer.concat(parts);
        const frame = lz4.compressFrameSync(whole);
        expect(unlz4(frame, 1 << 20)).toEqual(whole);
        expect(lz4FramesBound(frame)).toBeGreaterThanOrEqual(whole.length);
      }),
      { numRuns: 200 },
    );
  });

  it('zstd frames of raw and RLE blocks, one or several frames', () => {
    const block = fc.oneof(
      fc.uint8Array({ maxLength: 3000 }).map((bytes) => ({ raw: Buffer.from(bytes) })),
      fc.record({ rle: fc.integer({ min: 0, max: 255 }), times: fc.integer({ min: 1, max: 3000 }) }),
    );
    const content = (blocks: ({ raw: Buffer } | { rle: number; times: number })[]) => Buffer.concat(blocks.map((b) => ('raw' in b ? b.raw : Buffer.alloc(b.times, b.rle))));
    fc.assert(
      fc.property(fc.array(fc.array(block, { minLength: 1, maxLength: 5 }), { minLength: 1, maxLength: 3 }), (frames) => {
        const compressed = Buffer.concat(frames.map((blocks) => zstdFrame(blocks)));
        expect(unzstd(compressed, 1 << 20)).toEqual(Buffer.concat(frames.map(content)));
      }),
      { numRuns: 200 },
    );
  });
});

describe('a record batch that cannot be decoded becomes placeholders with the reason, for every codec', () => {
  const limit = 1 << 20;
  const overLimit = Buffer.alloc(limit + 4096, 0x20);

  const placeholders = async (codec: string, compressed: Buffer, records = 3) => {
    const decompressed = await codecs[codec]!.decompress(asFetched(records, compressed));
    const read = readRecords(decompressed, records);
    expect(read.map((record) => record.offset)).toEqual(Array.from({ length: records }, (_, i) => String(40 + i)));
    expect(read.every((record) => record.key === null && record.value === null)).toBe(true);
    return read.map((record) => record.headers[UNDECODABLE_BATCH_HEADER]?.toString());
  };

  it.each([
    ['gzip', 'gzip', () => gzipSync(Buffer.alloc(MAX_DECOMPRESSED_BATCH_BYTES + 1))],
    ['snappy (raw)', 'snappy', () => Buffer.from(snappyjs.compress(Buffer.alloc(MAX_DECOMPRESSED_BATCH_BYTES + 1)))],
    ['snappy (xerial, the limit passed over several blocks)', 'snappy', () => xerial(Array.from({ length: 33 }, () => Buffer.alloc(1 << 20)))],
    ['lz4', 'lz4', () => lz4.compressFrameSync(Buffer.alloc(MAX_DECOMPRESSED_BATCH_BYTES + 1))],
    ['zstd', 'zstd', () => zstdBomb(MAX_DECOMPRESSED_BATCH_BYTES + 1)],
  ])('%s past 32 MiB', async (_name, codec, bomb) => {
    const compressed = bomb();
    expect(compressed.length).toBeLessThan(2 << 20);
    for (const reason of await placeholders(codec, compressed)) expect(reason).toBe(`record batch refused: it decompresses to more than ${MAX_DECOMPRESSED_BATCH_BYTES} bytes`);
  });

  it('each bounded decoder stops at the limit it is given', () => {
    expect(() => boundedGunzip(gzipSync(overLimit), limit)).toThrow(/decompresses to more than 1048576 bytes/);
    expect(() => unsnappy(Buffer.from(snappyjs.compress(overLimit)), limit)).toThrow(/decompresses to more than 1048576 bytes/);
    expect(() => unlz4(lz4.compressFrameSync(overLimit), limit)).toThrow(/decompress(es)? to more than 1048576 bytes/);
    expect(() => unzstd(zstdBomb(limit + 1), limit)).toThrow(/decompresses to more than 1048576 bytes/);
  });

  it('zstd frames asking for a window or stating a content size past the limit are refused before anything is allocated', async () => {
    // Single segment, 4-byte content size of 3 GiB: a decoder would allocate that as its window.
    const statedSize = Buffer.from([0x28, 0xb5, 0x2f, 0xfd, 0xa0, 0, 0, 0, 0xc0, 0x01, 0x00, 0x00]);
    // Window descriptor 2^31 (exponent 21), no content size.
    const hugeWindow = Buffer.from([0x28, 0xb5, 0x2f, 0xfd, 0x00, 21 << 3, 0x01, 0x00, 0x00]);
    for (const frame of [statedSize, hugeWindow]) {
      for (const reason of await placeholders('zstd', frame, 1)) expect(reason).toMatch(/^record batch refused: it (may )?decompress(es)? to more than 33554432 bytes$/);
    }
  });

  it.each([
    ['gzip', Buffer.from('not gzip at all'), /^record batch refused: not valid gzip \(/],
    ['snappy', Buffer.from(snappyjs.compress(recordsOf([Buffer.from('{"id":"x"}')]))).subarray(0, 6), /^record batch refused: not valid snappy/],
    ['snappy', xerial([Buffer.from('abc')]).subarray(0, 21), /^record batch refused: not valid snappy \(a xerial block/],
    ['lz4', lz4.compressFrameSync(recordsOf([Buffer.from('{"id":"x"}')])).subarray(0, 12), /^record batch refused: not valid lz4 \(an lz4 frame runs past the end\)/],
    ['lz4', Buffer.from('not lz4 at all'), /^record batch refused: not valid lz4 \(not an lz4 frame/],
    ['zstd', zstdFrame([{ raw: recordsOf([Buffer.from('{"id":"x"}')]) }]).subarray(0, 12), /^record batch refused: not valid zstd \(a zstd frame runs past the end\)/],
    ['zstd', Buffer.from('not zstd at all'), /^record batch refused: not valid zstd \(not a zstd frame/],
  ])('%s cut short or not that codec at all', async (codec, compressed, reason) => {
    for (const text of await placeholders(codec, compressed)) expect(text).toMatch(reason);
  });

  it.each(Object.keys(codecs))('%s that decompresses to something other than the records it claims', async (codec) => {
    const compress: Record<string, (b: Buffer) => Buffer> = {
      gzip: (b) => gzipSync(b),
      snappy: (b) => Buffer.from(snappyjs.compress(b)),
      lz4: (b) => lz4.compressFrameSync(b),
      zstd: (b) => zstdFrame([{ raw: b }]),
    };
    const two = recordsOf([Buffer.from('{"id":"a"}'), Buffer.from('{"id":"b"}')]);
    expect(await placeholders(codec, compress[codec]!(two), 3)).toEqual(Array(3).fill(`record batch refused: not valid ${codec} (holds fewer than the 3 records it claims)`));
    expect((await placeholders(codec, compress[codec]!(two), 1))[0]).toBe(`record batch refused: not valid ${codec} (holds more than the 1 records it claims)`);
    expect((await placeholders(codec, compress[codec]!(Buffer.from('plain text, not records')), 2))[0]).toMatch(new RegExp(`^record batch refused: not valid ${codec} \\(`));
  });

  it('a batch claiming more records than placeholders can stand for is left to fail as before, not allocated', async () => {
    await expect(boundedZstdCodec.decompress(asFetched(MAX_PLACEHOLDERS + 1, zstdBomb(MAX_DECOMPRESSED_BATCH_BYTES + 1)))).rejects.toThrow(/decompresses to more than/);
  });
});
