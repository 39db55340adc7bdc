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

describe('what reaches a document is inert', () => {
  it('drops control and bidirectional formatting characters everywhere', () => {
    expect(escapeInline('a\u0007b\u001bc\u009bd')).toBe('abcd');
    expect(escapeInline('invoice\u202egpj.exe')).toBe('invoicegpj.exe');
    expect(escapeTableCell('x\u2066y\u2069z\u200f')).toBe('xyz');
    expect(yamlScalar('Team\u202e A')).toBe('Team A');
    expect(escapeWikiLabel('db\u0000\u202a')).toBe('db');
  });

  it('escapes Obsidian comments and tags from event text', () => {
    expect(escapeInline('hide %%this%% now')).toBe('hide \\%\\%this\\%\\% now');
    expect(escapeInline('50% of 100%')).toBe('50% of 100%');
    expect(escapeInline('see #secret and #2024/q1, not # alone or C#')).toBe('see \\#secret and \\#2024/q1, not # alone or C#');
    expect(escapeInline('#tag first')).toBe('\\#tag first');
    expect(escapeWikiLabel('db %% #x')).toBe('db % x');
  });

  it.each(['y', 'N', 'on', 'Off', '~', '0x1F', '1_000', '1e3', '12:30', '-1', '.5', '0o17', '2025-04-05'])('quotes %s, which YAML 1.1 would not read as a string', (value) => {
    expect(yamlScalar(value)).toBe(JSON.stringify(value));
  });

  it('keeps Obsidian comments, tags and HTML out of the front matter text, reading back the same', () => {
    const quoted = yamlScalar('50%% done #leak <b>');
    expect(quoted).toBe('"50\\u0025\\u0025 done \\u0023leak \\u003cb\\u003e"');
    expect(JSON.parse(quoted)).toBe('50%% done #leak <b>'); // a double-quoted YAML scalar reads \u escapes as JSON does
  });

  it('leaves ordinary names plain', () => {
    expect(yamlList(['order-service', 'p3', 'application'])).toBe('[order-service, p3, application]');
  });
});
