import { gunzipSync, gzipSync } from 'node:zlib';
import { createRequire } from 'node:module';
import fc from 'fast-check';
import { CompressionCodecs, CompressionTypes } from 'kafkajs';
import { boundedGunzip, fastGzipCodec, UNDECODABLE_BATCH_HEADER, useFastGzipCodec, useStockGzipCodec } from './gzip-codec.js';

// kafkajs' own codec, to show both read what the other writes.
const stock = createRequire(import.meta.url)('kafkajs/src/protocol/message/compression/gzip.js') as typeof fastGzipCodec;

describe('fastGzipCodec', () => {
  it('writes gzip that kafkajs (and any gzip reader) decompresses, and reads what kafkajs writes', async () => {
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ maxLength: 4096 }), async (bytes) => {
        const buffer = Buffer.from(bytes);
        const ours = await fastGzipCodec.compress({ buffer });
        expect(gunzipSync(ours)).toEqual(buffer);
        expect(await stock.decompress(ours)).toEqual(buffer);
        expect(await fastGzipCodec.decompress(await stock.compress({ buffer }))).toEqual(buffer);
      }),
      { numRuns: 200 },
    );
  });

  it('is what kafkajs looks up for GZIP once chosen, and the stock codec can be put back', () => {
    useFastGzipCodec();
    expect(CompressionCodecs[CompressionTypes.GZIP]()).toBe(fastGzipCodec);
    useStockGzipCodec();
    expect(CompressionCodecs[CompressionTypes.GZIP]()).toBe(stock);
  });
});

describe('boundedGunzip', () => {
  // kafkajs' own readers: the placeholders must decode as kafkajs decodes a fetched record batch.
  const require = createRequire(import.meta.url);
  const Decoder = require('kafkajs/src/protocol/decoder.js');
  const decodeRecord = require('kafkajs/src/protocol/recordBatch/record/v0/decoder.js');

  /** The compressed bytes as kafkajs hands them over: right after the batch's record count, in one buffer. */
  const asFetched = (records: number, compressed: Buffer) => {
    const response = Buffer.concat([Buffer.from([9, 9]), Buffer.alloc(4), compressed]);
    response.writeInt32BE(records, 2);
    return response.subarray(6);
  };

  it('decompresses what fits', () => {
    const payload = Buffer.from('{"id":"a"}'.repeat(100));
    expect(boundedGunzip(gzipSync(payload), 10_000)).toEqual(payload);
  });

  it('turns a batch that decompresses past the limit, or is not gzip, into placeholder records with the reason', () => {
    for (const [compressed, reason] of [
      [gzipSync(Buffer.alloc(1_000_000)), /more than 10000 bytes/],
      [Buffer.from('not gzip at all'), /not valid gzip/],
    ] as const) {
      const placeholders = new Decoder(boundedGunzip(asFetched(3, compressed), 10_000));
      const records = [0, 1, 2].map(() => decodeRecord(new Decoder(placeholders.readVarIntBytes()), { firstOffset: '40', firstTimestamp: '0' }));
      expect(records.map((record: { offset: string }) => record.offset)).toEqual(['40', '41', '42']);
      for (const record of records) {
        expect(record.value).toBeNull();
        expect(record.headers[UNDECODABLE_BATCH_HEADER].toString()).toMatch(reason);
      }
    }
  });
});
