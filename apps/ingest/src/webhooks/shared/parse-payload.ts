import { toValidationIssues } from '@app/domain';
import type { FieldIssue } from '@app/platform';
import type * as z from 'zod';

/** Validates a tool's payload; issues carry the tool's own field paths (`alerts.0.startsAt`). */
export function parsePayload<S extends z.ZodType>(schema: S, input: unknown): { value: z.output<S> } | { errors: FieldIssue[] } {
  const result = schema.safeParse(input);
  return result.success ? { value: result.data } : { errors: toValidationIssues(result.error.issues) };
}
