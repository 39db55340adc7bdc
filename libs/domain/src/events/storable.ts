import type { IncidentEvent } from './envelope.js';
import type { ValidationIssue } from './parse-event.js';

/** Deeper `data` is refused: nothing in the catalogue nests this far, and JSON.stringify overflows the stack near 5,000 levels. */
export const MAX_NESTING = 32;

/** The instants PostgreSQL's timestamptz and RFC 3339's four-digit years both hold. */
const EARLIEST = Date.parse('0001-01-01T00:00:00Z');
const LATEST = Date.parse('9999-12-31T23:59:59.999Z');

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/**
 * What the schema lets through but no store can carry: an event the timeline cannot store would
 * be retried forever and block its partition, so parseEvent refuses it like any invalid field.
 * Refused: occurredAt outside the years 0001-9999 (`0000-01-01T00:00:00Z` is valid RFC 3339),
 * strings holding U+0000 or an unpaired surrogate (PostgreSQL jsonb rejects both), and nesting
 * deeper than MAX_NESTING (re-serialising it throws).
 */
export function unstorableIssues(event: IncidentEvent): ValidationIssue[] {
  const issues: ValidationIssue[] = [];
  const at = Date.parse(event.occurredAt);
  if (!(at >= EARLIEST && at <= LATEST)) issues.push({ path: 'occurredAt', message: 'must lie between the years 0001 and 9999 (UTC)' });
  collectUnstorable(event, [], issues);
  return issues;
}

function collectUnstorable(value: unknown, path: string[], issues: ValidationIssue[]): void {
  if (typeof value === 'string') {
    const problem = unstorableText(value);
    if (problem) issues.push({ path: path.join('.'), message: problem });
    return;
  }
  if (typeof value !== 'object' || value === null) return;
  if (path.length >= MAX_NESTING) {
    issues.push({ path: path.join('.'), message: `nested deeper than ${MAX_NESTING} levels` });
    return;
  }
  for (const [key, child] of Object.entries(value)) {
    const problem = unstorableText(key);
    if (problem) issues.push({ path: [...path, key].join('.'), message: `field name ${problem}` });
    collectUnstorable(child, [...path, key], issues);
  }
}

function unstorableText(text: string): string | undefined {
  if (text.includes('\u0000')) return 'contains U+0000 (NUL), which cannot be stored';
  if (LONE_SURROGATE.test(text)) return 'contains an unpaired UTF-16 surrogate (\\ud800-\\udfff), which is not Unicode text';
  return undefined;
}
