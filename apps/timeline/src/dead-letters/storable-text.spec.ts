import { headerText, storableJson, storableText } from './storable-text.js';

/** Whether a string anywhere in `value` holds what PostgreSQL text or jsonb refuses: U+0000, or UTF-16 that is not well formed. */
const refusedByJsonb = (value: unknown): boolean =>
  typeof value === 'string'
    ? value.includes('\u0000') || Buffer.from(value, 'utf8').toString('utf8') !== value
    : typeof value === 'object' && value !== null && Object.entries(value).some(([key, child]) => refusedByJsonb(key) || refusedByJsonb(child));

describe('storableText', () => {
  it('writes U+0000 and unpaired surrogates as visible escapes and leaves every other character, pairs included', () => {
    expect(storableText('a\u0000b')).toBe('a\\u0000b');
    expect(storableText('lone \ud800 high, lone \udfff low, reversed \udc00\ud800')).toBe('lone \\ud800 high, lone \\udfff low, reversed \\udc00\\ud800');
    expect(storableText('pair 😀, tab\t, é, \\u0000 as typed')).toBe('pair 😀, tab\t, é, \\u0000 as typed');
  });

  it('every string of 2,000 generated ones, each of UTF-16 units drawn from NUL, surrogates and letters, is storable after it', () => {
    const units = ['\u0000', '\ud800', '\udbff', '\udc00', '\udfff', 'a', '\\', 'u'];
    let seed = 7;
    const next = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31);
    let refusedBefore = 0;
    for (let i = 0; i < 2000; i++) {
      const text = Array.from({ length: next() % 12 }, () => units[next() % units.length]).join('');
      if (refusedByJsonb(text)) refusedBefore++;
      expect([text, refusedByJsonb(storableText(text))]).toEqual([text, false]);
    }
    // The coverage claimed: most generated strings held something PostgreSQL refuses before they were escaped.
    expect(refusedBefore).toBeGreaterThan(1000);
  });
});

describe('headerText', () => {
  it('UTF-8 as text, escaped as storableText does', () => {
    expect(headerText(Buffer.from('reason \u0000 é'))).toBe('reason \\u0000 é');
  });
  it('other bytes one by one: printable ASCII as is, every other byte (backslash too) as \\xNN', () => {
    expect(headerText(Buffer.from([0xff, 0x00, 0x41, 0x5c, 0xc3]))).toBe('\\xff\\x00A\\x5c\\xc3');
  });
});

describe('storableJson', () => {
  it('escapes keys and values at every depth, keeps numbers, booleans and null', () => {
    expect(storableJson({ 'k\u0000': ['\udc00', 1, true, null, { x: 'a\u0000' }] })).toEqual({ 'k\\u0000': ['\\udc00', 1, true, null, { x: 'a\\u0000' }] });
  });
  it('keeps nesting beyond 32 levels as its JSON text, which jsonb parses without its stack limit', () => {
    let deep: unknown = 'bottom\u0000';
    for (let i = 0; i < 100; i++) deep = [deep];
    const stored = storableJson(deep);
    expect(refusedByJsonb(stored)).toBe(false);
    let level = stored;
    for (let i = 0; i < 32; i++) level = (level as unknown[])[0];
    expect(typeof level).toBe('string');
  });
});
