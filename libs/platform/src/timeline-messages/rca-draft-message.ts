import { z } from 'zod';

/** A message of rca-drafts.v1 (INTERFACES.md): a new RCA draft version the renderer stored, keyed by incident id. */
export const rcaDraftMessageSchema = z.object({
  incidentId: z.string().min(1),
  version: z.number().int().positive(),
  /** The date the draft says it was prepared on (YYYY-MM-DD). */
  preparedOn: z.string().regex(/^\d{4}-\d{2}-\d{2}$/),
  fileName: z.string(),
  /** When the renderer stored the version (RFC 3339). */
  createdAt: z.iso.datetime({ offset: true }),
});

export type RcaDraftMessage = z.output<typeof rcaDraftMessageSchema>;
