import { toValidationIssues, type ValidationIssue } from '@app/domain';
import * as z from 'zod';

/** Validates a tool's payload; issues carry the tool's own field paths (`alerts.0.startsAt`). */
export function parsePayload<S extends z.ZodType>(schema: S, input: unknown): { value: z.output<S> } | { errors: ValidationIssue[] } {
  const result = schema.safeParse(input);
  return result.success ? { value: result.data } : { errors: toValidationIssues(result.error.issues) };
}

/**
 * A field the mapping can do without: whatever the tool put there (null, a number where a string is
 * documented, an object), it never makes the payload unusable; a value of the wrong shape counts as absent.
 */
export const optional = <S extends z.ZodType>(schema: S) => schema.nullish().catch(undefined).transform((value) => value ?? undefined);

/** Text the tools send as a string, a number or a boolean (Opsgenie's `priority`, relayed labels). */
export const looseText = z.union([z.string(), z.number(), z.boolean()]).transform(String);

/** A string map (labels, annotations) whose values may arrive as numbers or booleans; null values are dropped. */
export const looseStringMap = z
  .record(z.string(), z.unknown())
  .catch({})
  .transform((record) => {
    const map: Record<string, string> = {};
    for (const [key, value] of Object.entries(record)) {
      if (typeof value === 'string') map[key] = value;
      else if (typeof value === 'number' || typeof value === 'boolean') map[key] = String(value);
    }
    return map;
  });
