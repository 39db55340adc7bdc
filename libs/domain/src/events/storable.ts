import type { IncidentEvent } from './envelope.js';
import type { ValidationIssue } from './parse-event.js';

/** Deeper `data` is refused: nothing in the catalogue nests this far, and JSON.stringify overflows the stack near 5,000 levels. */
export const MAX_NESTING = 32;

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/**
 * What the schema lets through but no store can carry: an event the timeline cannot store would
 * be retried forever and block its partition, so parseEvent refuses it like any invalid field.
 * Refused: strings holding U+0000 or an unpaired surrogate (PostgreSQL jsonb rejects both), numbers
 * that are not finite (JSON's `1e999` parses to Infinity, which JSON.stringify would turn into
 * null: stored would differ from sent), and nesting deeper than MAX_NESTING (re-serialising it throws).
 * occurredAt is checked by normaliseInstant.
 */
export function unstorableIssues(event: IncidentEvent): ValidationIssue[] {
  const issues: ValidationIssue[] = [];
  collectUnstorable(event, [], issues);
  return issues;
}

function collectUnstorable(value: unknown, path: string[], issues: ValidationIssue[]): void {
  if (typeof value === 'string') {
    const problem = unstorableText(value);
    if (problem) issues.push({ path: path.join('.'), message: problem });
    return;
  }
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) issues.push({ path: path.join('.'), message: 'must be a finite number' });
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
