import * as z from 'zod';

/*
 * Opsgenie's outgoing webhook (alert action data): `action` names what happened, `alert` is the alert
 * after it. Fields vary by action (`note` on AddNote, `owner` on AssignOwnership); all but the id and
 * the times are optional, and unknown fields are dropped.
 */
// Not .int(): nanosecond epochs exceed zod's safe-integer bound, and are still whole numbers as sent.
const epoch = z.union([z.number().nonnegative(), z.string().regex(/^\d{1,22}$/, 'expected epoch digits')], { error: 'expected an epoch number' });

export const opsgeniePayloadSchema = z.object({
  action: z.string().min(1),
  alert: z.object({
    alertId: z.string().min(1),
    message: z.string().optional(),
    description: z.string().optional(),
    tags: z.array(z.string()).optional(),
    tinyId: z.string().optional(),
    entity: z.string().optional(),
    alias: z.string().optional(),
    createdAt: epoch,
    updatedAt: epoch.optional(),
    username: z.string().optional(),
    userId: z.string().optional(),
    note: z.string().optional(),
    owner: z.string().optional(),
    priority: z.string().optional(),
    source: z.string().optional(),
    teams: z.array(z.unknown()).optional(),
    recipients: z.array(z.unknown()).optional(),
    responders: z.array(z.unknown()).optional(),
  }),
  source: z.object({ name: z.string().optional(), type: z.string().optional() }).optional(),
  integrationName: z.string().optional(),
  integrationId: z.string().optional(),
});

export type OpsgeniePayload = z.output<typeof opsgeniePayloadSchema>;
export type OpsgenieAlert = OpsgeniePayload['alert'];
