import * as z from 'zod';
import { looseText, optional } from '../shared/parse-payload.js';

/*
 * Opsgenie's outgoing webhook (alert action data), which Jira Service Management's Operations webhook
 * integration sends unchanged: `action` names what happened, `alert` is the alert after it. Fields vary
 * by action (`note` on AddNote, `owner` on AssignOwnership); only the action, the alert id and its
 * creation time are needed. Everything else is optional whatever its value: an empty `entity`, no tags,
 * `priority` as a number (3) where the documentation shows "P3", `null` for absent values.
 */
// Not .int(): nanosecond epochs exceed zod's safe-integer bound, and are still whole numbers as sent.
const epoch = z.union([z.number().nonnegative(), z.string().regex(/^\d{1,22}$/, 'expected epoch digits')], { error: 'expected an epoch number' });
const text = optional(looseText);

export const opsgeniePayloadSchema = z.object({
  action: z.string().min(1),
  alert: z.object({
    alertId: z.string().min(1),
    message: text,
    description: text,
    tags: optional(z.array(looseText.nullable()).transform((tags) => tags.filter((tag): tag is string => tag !== null))),
    tinyId: text,
    entity: text,
    alias: text,
    createdAt: epoch,
    updatedAt: optional(epoch),
    username: text,
    userId: text,
    note: text,
    owner: text,
    priority: text,
    source: text,
  }),
  source: optional(z.object({ name: text, type: text })),
  integrationName: text,
  integrationId: text,
});

export type OpsgeniePayload = z.output<typeof opsgeniePayloadSchema>;
export type OpsgenieAlert = OpsgeniePayload['alert'];
