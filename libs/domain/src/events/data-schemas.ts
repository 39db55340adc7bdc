import * as z from 'zod';
import type { EventType } from './event-types.js';
import {
  actionItemPrioritySchema,
  calendarDateSchema,
  lessonKindSchema,
  metricNameSchema,
  nonEmptyString,
  nonNegativeNumber,
  serviceNameSchema,
  severitySchema,
  statusSchema,
} from './primitives.js';

/*
 * `data` payloads are loose objects: fields we know are validated, unknown fields are kept
 * as sent. The contract is additive, so a newer producer adding a data field must not be
 * rejected by an older consumer (the envelope itself stays strict).
 */
const data = z.looseObject;
const optionalText = z.string().optional();

export const eventDataSchemas = {
  'alert.triggered': data({
    alertName: nonEmptyString,
    severity: optionalText,
    summary: optionalText,
    fingerprint: optionalText,
    labels: z.record(z.string(), z.string()).optional(),
  }),
  'alert.resolved': data({ alertName: nonEmptyString, fingerprint: optionalText }),
  'page.sent': data({ responder: optionalText, escalationPolicy: optionalText }),
  'page.acknowledged': data({ responder: optionalText }),
  'page.escalated': data({ responder: optionalText }),
  'incident.declared': data({ title: optionalText, severity: severitySchema.optional(), team: optionalText }),
  'severity.changed': data({ severity: severitySchema }),
  'status.changed': data({ status: statusSchema, note: optionalText }),
  'root_cause.identified': data({
    summary: nonEmptyString,
    category: nonEmptyString,
    contributingFactors: z.array(z.string()).optional(),
  }),
  'mitigation.applied': data({ action: nonEmptyString }),
  'service.impacted': data({ service: serviceNameSchema }),
  'impact.measured': data({
    metric: metricNameSchema,
    unit: nonEmptyString,
    peak: z.number(),
    baseline: z.union([z.number(), z.string()]).optional(),
  }),
  'customer_impact.reported': data({
    usersAffected: nonNegativeNumber.optional(),
    customerErrors: nonNegativeNumber.optional(),
    supportTickets: nonNegativeNumber.optional(),
    revenueUsd: nonNegativeNumber.optional(),
  }),
  'resolution.step': data({ description: nonEmptyString }),
  'lesson.recorded': data({ kind: lessonKindSchema, text: nonEmptyString }),
  'action_item.added': data({
    priority: actionItemPrioritySchema,
    action: nonEmptyString,
    owner: nonEmptyString,
    dueDate: calendarDateSchema,
  }),
  'note.added': data({ text: nonEmptyString }),
  'impact.started': data({ note: optionalText }),
  'event.retracted': data({ eventId: z.string().min(1).max(256), reason: nonEmptyString }),
  'incident.merged': data({ into: z.string().min(1).max(256) }),
} as const satisfies Record<EventType, z.ZodType>;

export type EventDataSchemas = typeof eventDataSchemas;
export type EventData<T extends EventType> = z.output<EventDataSchemas[T]>;
