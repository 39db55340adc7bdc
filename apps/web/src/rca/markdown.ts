import MarkdownIt from 'markdown-it';

/**
 * The renderer's markdown as HTML: CommonMark plus GFM tables (markdown-it), raw HTML in the
 * markdown escaped (a title typed by a person must never become markup), and ```mermaid blocks
 * left as text in `<pre class="mermaid">` for the page's Mermaid to draw.
 */
const markdown = new MarkdownIt({ html: false, linkify: false, typographer: false });
const defaultFence = markdown.renderer.rules.fence!;
markdown.renderer.rules.fence = (tokens, index, options, env, self) => {
  const token = tokens[index]!;
  if (token.info.trim() === 'mermaid') return `<pre class="mermaid">${markdown.utils.escapeHtml(token.content)}</pre>\n`;
  return defaultFence(tokens, index, options, env, self);
};

export interface RenderedMarkdown {
  /** The YAML front matter's lines as key/value pairs, shown as a table above the document. */
  frontMatter: { key: string; value: string }[];
  html: string;
  hasMermaid: boolean;
}

const FRONT_MATTER = /^---\r?\n([\s\S]*?)\r?\n---\r?\n/;

/**
 * A front-matter value as text. The renderer writes double-quoted scalars as JSON strings (with `\u`
 * escapes for `<`, `>`, `%` and `#`), which YAML and JSON read alike; anything else is shown as written.
 */
function scalarText(value: string): string {
  if (!/^".*"$/.test(value)) return value;
  try {
    return JSON.parse(value) as string;
  } catch {
    return value.slice(1, -1);
  }
}

export function renderMarkdown(source: string): RenderedMarkdown {
  const match = FRONT_MATTER.exec(source);
  const body = match ? source.slice(match[0].length) : source;
  const frontMatter = match
    ? match[1]!
        .split(/\r?\n/)
        .map((line) => /^([A-Za-z0-9_-]+):\s?(.*)$/.exec(line))
        .filter((m): m is RegExpExecArray => !!m)
        .map((m) => ({ key: m[1]!, value: scalarText(m[2]!) }))
    : [];
  return { frontMatter, html: markdown.render(body), hasMermaid: /^```mermaid\s*$/m.test(body) };
}
