import Handlebars from 'handlebars';
import { escapeInline, escapeTableCell, escapeWikiLabel, slugify, titleCase, yamlList, yamlScalar } from '../index.js';

describe('markdown escaping', () => {
  it('keeps table cells in one cell and on one line', () => {
    expect(escapeTableCell('a | b\nc\r\nd')).toBe('a \\| b c d');
  });

  it('neutralises HTML tags but keeps a harmless less-than', () => {
    expect(escapeInline('<script>alert(1)</script>')).toBe('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(escapeInline('baseline <1% and <= 2')).toBe('baseline <1% and <= 2');
    expect(escapeInline('<!-- hidden -->')).toBe('&lt;!-- hidden --&gt;');
  });

  it('breaks wiki links and leading headings', () => {
    expect(escapeInline('see [[secret-page|x]]')).toBe('see \\[\\[secret-page|x\\]\\]');
    expect(escapeInline('# not a heading')).toBe('\\# not a heading');
  });

  it('makes no link or image out of event text', () => {
    expect(escapeInline('![x](javascript:alert(1)) [y](http://evil)')).toBe('!\\[x\\](javascript:alert(1)) \\[y\\](http://evil)');
  });

  it('keeps emoji and non-ASCII text intact', () => {
    expect(escapeTableCell('🔥 Dätabase on fire 🚒')).toBe('🔥 Dätabase on fire 🚒');
  });

  it('leaves {{ literal through a triple-stash Handlebars substitution', () => {
    const value = escapeInline('{{constructor}} {{{x}}}');
    expect(Handlebars.compile('- {{{v}}}')({ v: value })).toBe('- {{constructor}} {{{x}}}');
  });

  it('keeps wiki labels from closing the link', () => {
    expect(escapeWikiLabel('a]]|b[[<i>')).toBe('ab&lt;i&gt;');
  });

  it('quotes YAML scalars only when needed', () => {
    expect(yamlScalar('Backend Team')).toBe('Backend Team');
    expect(yamlScalar('true')).toBe('"true"');
    expect(yamlScalar('a: b')).toBe('"a: b"');
    expect(yamlScalar('say "hi"\nnow')).toBe('"say \\"hi\\" now"');
    expect(yamlList(['rca', 'p1', 'data, loss'])).toBe('[rca, p1, "data, loss"]');
  });
});

describe('text helpers', () => {
  it('title-cases words, leaving acronyms', () => {
    expect(titleCase('cache invalidation bug')).toBe('Cache Invalidation Bug');
    expect(titleCase('DNS failure in us-east')).toBe('DNS Failure In Us-East');
  });

  it('slugifies to lowercase ASCII', () => {
    expect(slugify('Cache Invalidation Bug order-service')).toBe('cache-invalidation-bug-order-service');
    expect(slugify('  Ünïcode — Crash!! 🚒 ')).toBe('unicode-crash');
    expect(slugify('🚒')).toBe('incident');
    expect(slugify('x'.repeat(100))).toHaveLength(80);
  });
});
