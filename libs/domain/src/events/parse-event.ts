import type * as z from 'zod';
import { eventEnvelopeSchema, type IncidentEvent } from './envelope.js';
import { normaliseInstant } from './instant.js';
import { unstorableIssues } from './storable.js';

export interface ValidationIssue {
  /** Dot path into the envelope, array indexes as numbers: `data.contributingFactors.1`; '' for the root. */
  path: string;
  message: string;
}

export type ParseEventResult = { ok: true; event: IncidentEvent } | { ok: false; issues: ValidationIssue[] };

/**
 * Validates an envelope and returns it as it is stored: occurredAt normalised (normaliseInstant),
 * everything else as sent. Parsing the result again gives the same event.
 */
export function parseEvent(input: unknown): ParseEventResult {
  const result = eventEnvelopeSchema.safeParse(input);
  if (!result.success) return { ok: false, issues: toValidationIssues(result.error.issues) };
  const instant = normaliseInstant(result.data.occurredAt);
  const issues = [...(instant.ok ? [] : [instant.issue]), ...unstorableIssues(result.data)];
  if (issues.length > 0 || !instant.ok) return { ok: false, issues };
  const event = instant.value === result.data.occurredAt ? result.data : { ...result.data, occurredAt: instant.value };
  return { ok: true, event };
}

export function formatIssuePath(path: readonly PropertyKey[]): string {
  return path.map((segment) => String(segment)).join('.');
}

/** Flattens zod issues; an unknown envelope field is reported at its own path so the sender sees which one. */
export function toValidationIssues(issues: readonly z.core.$ZodIssue[]): ValidationIssue[] {
  return issues.flatMap((issue) => {
    if (issue.code === 'unrecognized_keys') {
      return issue.keys.map((key) => ({ path: formatIssuePath([...issue.path, key]), message: 'unknown field' }));
    }
    return [{ path: formatIssuePath(issue.path), message: issue.message }];
  });
}
