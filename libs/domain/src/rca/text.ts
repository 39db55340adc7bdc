/** What the RCA prints where the log lacks a figure: the line stays, the number is never invented. */
export const NOT_RECORDED = '_not recorded_';

/** One RCA line: its text, or a text stating that the figure is not recorded. */
export interface ViewLine {
  text: string;
  recorded: boolean;
}

export const recordedLine = (text: string): ViewLine => ({ text, recorded: true });
export const missingLine = (text: string): ViewLine => ({ text, recorded: false });

/** Capitalises the first letter of each word, leaving the rest (acronyms) alone. */
export function titleCase(text: string): string {
  return text.replace(/(^|[\s-])(\p{L})/gu, (_match, separator: string, letter: string) => separator + letter.toUpperCase());
}

/** Lowercase ASCII slug: accents stripped, anything else becomes a single dash, at most 80 chars. */
export function slugify(text: string): string {
  const slug = text
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 80)
    .replace(/-+$/, '');
  return slug === '' ? 'incident' : slug;
}

/** `81` + `%` -> `81%`, `2549` + `ms` -> `2549ms`; longer units get a space (`12 req/s`). */
export function formatQuantity(value: number | string, unit: string): string {
  const attached = unit === '%' || /^[a-zµμ]{1,2}$/i.test(unit);
  return attached ? `${value}${unit}` : `${value} ${unit}`;
}

export function formatNumber(value: number): string {
  return String(value);
}

/** A/an by the first letter, for the summary sentence. */
export function withArticle(phrase: string): string {
  return /^[aeiou]/i.test(phrase) ? `an ${phrase}` : `a ${phrase}`;
}

/** YYYY-MM-DD of an instant, in UTC. */
export function utcDay(iso: string): string {
  return new Date(Date.parse(iso)).toISOString().slice(0, 10);
}

/** HH:MM of an instant in UTC; prefixed by the day when it is not `referenceDay`. */
export function utcClock(iso: string, referenceDay: string): string {
  const canonical = new Date(Date.parse(iso)).toISOString();
  const clock = canonical.slice(11, 16);
  return canonical.slice(0, 10) === referenceDay ? clock : `${canonical.slice(0, 10)} ${clock}`;
}

export function plural(count: number, singular: string, pluralForm = `${singular}s`): string {
  return `${count} ${count === 1 ? singular : pluralForm}`;
}
