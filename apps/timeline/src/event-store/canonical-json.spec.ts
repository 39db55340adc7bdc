import fc from 'fast-check';
import { canonicalJson, payloadDigest } from './canonical-json.js';

describe('canonicalJson', () => {
  it('sorts keys at every depth and drops undefined fields', () => {
    expect(canonicalJson({ b: 1, a: { d: [3, { z: true, y: null }], c: 'x' }, u: undefined })).toBe('{"a":{"c":"x","d":[3,{"y":null,"z":true}]},"b":1}');
  });

  it('is JSON that parses back to the same value', () => {
    fc.assert(fc.property(fc.jsonValue(), (value) => expect(JSON.parse(canonicalJson(value))).toEqual(JSON.parse(JSON.stringify(value)))));
  });

  it('gives the same digest whatever the key order', () => {
    fc.assert(
      fc.property(fc.dictionary(fc.string(), fc.jsonValue()), (record) => {
        const reversed = Object.fromEntries(Object.entries(record).reverse());
        expect(payloadDigest(reversed)).toBe(payloadDigest(record));
      }),
    );
  });

  it('keeps the digests already stored: the same text as the first implementation', () => {
    const event = { id: 'evt-1', type: 'note.added', data: { text: 'ünïcode "quoted"', labels: { b: '2', a: '1' } }, occurredAt: '2025-04-05T10:00:00Z' };
    expect(canonicalJson(event)).toBe('{"data":{"labels":{"a":"1","b":"2"},"text":"ünïcode \\"quoted\\""},"id":"evt-1","occurredAt":"2025-04-05T10:00:00Z","type":"note.added"}');
  });
});
