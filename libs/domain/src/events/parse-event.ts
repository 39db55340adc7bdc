import type * as z from 'zod';
import { eventEnvelopeSchema, type IncidentEvent } from './envelope.js';
import { unstorableIssues } from './storable.js';

export interface ValidationIssue {
  /** Dot path into the envelope, array indexes as numbers: `data.contributingFactors.1`; '' for the root. */
  path: string;
  message: string;
}

export type ParseEventResult = { ok: true; event: IncidentEvent } | { ok: false; issues: ValidationIssue[] };

export function parseEvent(input: unknown): ParseEventResult {
  const result = eventEnvelopeSchema.safeParse(input);
  if (!result.success) return { ok: false, issues: toValidationIssues(result.error.issues) };
  const unstorable = unstorableIssues(result.data);
  return unstorable.length > 0 ? { ok: false, issues: unstorable } : { ok: true, event: result.data };
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
