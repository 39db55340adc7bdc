import { readFileSync } from 'node:fs';
import { renderMarkdown } from './markdown.js';
import { changedLines } from './version-changes.js';

const reference = readFileSync(new URL('../../../../test/fixtures/rca-2025-04-05-cache-invalidation-bug-order-service.md', import.meta.url), 'utf8');

describe('renderMarkdown', () => {
  it('renders the reference RCA: front matter as properties, headings, tables and lists', () => {
    const { frontMatter, html, hasMermaid } = renderMarkdown(reference);
    expect(frontMatter[0]).toEqual({ key: 'title', value: '2025-04-05 - Cache Invalidation Bug in order-service' });
    expect(frontMatter.map((entry) => entry.key)).toEqual(['title', 'date', 'severity', 'services', 'tags', 'status', 'duration_minutes', 'author']);
    expect(html).toContain('<h1>2025-04-05 - Cache Invalidation Bug in order-service</h1>');
    expect(html).toContain('<td>Implement monitoring for cache invalidation bug</td>');
    expect(html).toContain('<li>Recent code changes introduced a regression</li>');
    expect(html).toContain('<em>RCA prepared by Backend Team on 2025-04-06</em>');
    expect(hasMermaid).toBe(false);
  });

  it('shows a quoted front-matter value as the text it stands for, escapes read back', () => {
    const { frontMatter } = renderMarkdown('---\ntitle: "Error rate 50\\u0025 \\u0023db \\u003cb\\u003e \\"quoted\\""\nauthor: "yes"\n---\n\n# x\n');
    expect(frontMatter).toEqual([
      { key: 'title', value: 'Error rate 50% #db <b> "quoted"' },
      { key: 'author', value: 'yes' },
    ]);
  });

  it('never lets markup typed into an event through, and hands mermaid blocks to Mermaid', () => {
    const { html, hasMermaid } = renderMarkdown('# <script>alert(1)</script>\n\n```mermaid\ntimeline\n    15h28 : A <b>\n```\n');
    expect(html).toContain('<h1>&lt;script&gt;alert(1)&lt;/script&gt;</h1>');
    expect(html).toContain('<pre class="mermaid">timeline\n    15h28 : A &lt;b&gt;\n</pre>');
    expect(hasMermaid).toBe(true);
  });
});

describe('changedLines', () => {
  it('lists the lines a new version added and removed', () => {
    expect(changedLines('a\nb\nc\n', 'a\nB\nc\nd\n')).toEqual([
      { kind: 'removed', text: 'b' },
      { kind: 'added', text: 'B' },
      { kind: 'added', text: 'd' },
    ]);
    expect(changedLines('same\n', 'same\n')).toEqual([]);
  });
});
