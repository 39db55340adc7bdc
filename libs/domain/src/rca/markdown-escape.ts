/*
 * Escaping for text that comes from events and lands in the RCA markdown. The view applies
 * these, so the template can use triple-stash ({{{x}}}) without double escaping. Handlebars
 * never re-evaluates substituted values, so `{{` in event text stays literal text.
 * No raw HTML is ever produced: line breaks become spaces, not <br>. Nothing from an event reaches
 * the document raw that a reader would not see as text: control and bidirectional formatting
 * characters are dropped (they reorder or hide what is shown), Obsidian comments (`%%`) and tags
 * (`#word`) are escaped.
 */

// eslint-disable-next-line no-control-regex
const INVISIBLE = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;

/** Collapses any line break or tab to one space (list items and cells are single-line) and drops control and bidi characters. */
export function singleLine(text: string): string {
  return text.replace(/[\r\n\t\u2028\u2029\u0085]+/g, ' ').replace(INVISIBLE, '').trim();
}

/**
 * Inline markdown text: no HTML tags or autolinks (`<` that could open one becomes &lt;,
 * every `>` becomes &gt;), no links, images or wiki links (every `[` and `]` backslash-escaped), no heading
 * at the start. A `<` before a digit or space (as in the reference's "baseline: <1%")
 * cannot open a tag and is kept as is.
 */
export function escapeInline(text: string): string {
  return singleLine(text)
    .replace(/<(?=[A-Za-z/!?])/g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/[[\]]/g, '\\$&')
    .replace(/^#/, '\\#')
    .replace(OBSIDIAN_TAG, '$1\\#')
    .replace(/%(?=%)|(?<=%)%/g, '\\%');
}

/** `#word` where Obsidian would read a tag (after a start or a space, before a letter, digit, `_`, `-` or `/`). */
const OBSIDIAN_TAG = /(^|[^\\])#(?=[\p{L}\p{N}_/-])/gu;

/** A table cell: inline text with `|` escaped so it cannot split the cell. */
export function escapeTableCell(text: string): string {
  return escapeInline(text).replace(/\|/g, '\\|');
}

/** Label text inside a wiki link `[[target|label]]`: nothing that could end the link. */
export function escapeWikiLabel(text: string): string {
  return singleLine(text).replace(/[[\]|]/g, '').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/%+/g, '%').replace(/#/g, '');
}

const PLAIN_YAML = /^[A-Za-z0-9][A-Za-z0-9 ._/-]*$/;
/** What YAML 1.1 (still read by many front-matter parsers) takes for a boolean or null, `y` and `n` included. */
const YAML_KEYWORDS = /^(?:true|false|yes|no|on|off|y|n|null|~)$/i;
/** What YAML 1.1 or 1.2 could read as a number, a date or a time: anything starting like a number (`0x1F`, `1_000`, `1e3`, `12:30`). */
const NUMBER_LIKE = /^[-+.]?\d/;

/**
 * A double-quoted YAML scalar (JSON strings are valid ones). `<`, `>`, `%` and `#` become \u escapes,
 * which YAML reads back as the same characters, so no raw HTML tag, Obsidian comment (`%%`) or tag
 * (`#word`) stands in the file's text for a preview, a search or a plugin to pick up.
 */
function doubleQuoted(value: string): string {
  return JSON.stringify(value).replace(/[<>%#]/g, (character) => `\\u00${character.charCodeAt(0).toString(16)}`);
}

/** A YAML scalar for front matter: plain when unambiguous, else double-quoted. */
export function yamlScalar(text: string): string {
  const value = singleLine(text);
  const plain = PLAIN_YAML.test(value) && !YAML_KEYWORDS.test(value) && !NUMBER_LIKE.test(value) && !value.endsWith(' ');
  return plain ? value : doubleQuoted(value);
}

/** Always double-quoted. */
export function yamlQuoted(text: string): string {
  return doubleQuoted(singleLine(text));
}

/** A YAML flow sequence: `[a, b, c]`. */
export function yamlList(values: readonly string[]): string {
  return `[${values.map(yamlScalar).join(', ')}]`;
}
