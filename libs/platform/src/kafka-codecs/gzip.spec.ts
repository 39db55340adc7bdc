import { gunzipSync, gzipSync } from 'node:zlib';
import { createRequire } from 'node:module';
import fc from 'fast-check';
import { CompressionCodecs, CompressionTypes } from 'kafkajs';
import { fastGzipCodec } from './gzip.js';
import { useFastGzipCodec, useStockGzipCodec } from './register-codecs.js';

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
