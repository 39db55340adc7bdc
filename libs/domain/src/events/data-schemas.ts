import * as z from 'zod';
import type { EventType } from './event-types.js';
import {
  actionItemPrioritySchema,
  calendarDateSchema,
  keyString,
  lessonKindSchema,
  lineString,
  MAX_CONTRIBUTING_FACTORS,
  MAX_LABELS,
  metricNameSchema,
  nameString,
  nonEmptyName,
  nonEmptyText,
  nonNegativeNumber,
  serviceNameSchema,
  severitySchema,
  statusSchema,
  textString,
} from './primitives.js';

/*
 * `data` payloads are loose objects: fields we know are validated, unknown fields are kept
 * as sent. The contract is additive, so a newer producer adding a data field must not be
 * rejected by an older consumer (the envelope itself stays strict).
 */
const data = z.looseObject;
const optionalName = nameString.optional();
const optionalText = textString.optional();
/** Label names are keys (no control characters), their values one-line texts. */
const labels = z
  .record(keyString, lineString)
  .refine((record) => Object.keys(record).length <= MAX_LABELS, `at most ${MAX_LABELS} labels`)
  .optional();

export const eventDataSchemas = {
  'alert.triggered': data({
    alertName: nonEmptyName,
    severity: optionalName,
    summary: optionalText,
    fingerprint: optionalName,
    labels,
  }),
  'alert.resolved': data({ alertName: nonEmptyName, fingerprint: optionalName }),
  'page.sent': data({ responder: optionalName, escalationPolicy: optionalName }),
  'page.acknowledged': data({ responder: optionalName }),
  'page.escalated': data({ responder: optionalName }),
  'incident.declared': data({ title: lineString.optional(), severity: severitySchema.optional(), team: optionalName }),
  'severity.changed': data({ severity: severitySchema }),
  'status.changed': data({ status: statusSchema, note: optionalText }),
  'root_cause.identified': data({
    summary: nonEmptyText,
    category: nonEmptyName,
    contributingFactors: z.array(textString).max(MAX_CONTRIBUTING_FACTORS).optional(),
  }),
  'mitigation.applied': data({ action: nonEmptyText }),
  'service.impacted': data({ service: serviceNameSchema }),
  'impact.measured': data({
    metric: metricNameSchema,
    unit: nonEmptyName,
    peak: z.number(),
    baseline: z.union([z.number(), nameString]).optional(),
  }),
  'customer_impact.reported': data({
    usersAffected: nonNegativeNumber.optional(),
    customerErrors: nonNegativeNumber.optional(),
    supportTickets: nonNegativeNumber.optional(),
    revenueUsd: nonNegativeNumber.optional(),
  }),
  'resolution.step': data({ description: nonEmptyText }),
  'lesson.recorded': data({ kind: lessonKindSchema, text: nonEmptyText }),
  'action_item.added': data({
    priority: actionItemPrioritySchema,
    action: nonEmptyText,
    owner: nonEmptyName,
    dueDate: calendarDateSchema,
  }),
  'note.added': data({ text: nonEmptyText }),
  'impact.started': data({ note: optionalText }),
  'event.retracted': data({ eventId: keyString, reason: nonEmptyText }),
  'incident.merged': data({ into: keyString }),
} as const satisfies Record<EventType, z.ZodType>;

export type EventDataSchemas = typeof eventDataSchemas;
export type EventData<T extends EventType> = z.output<EventDataSchemas[T]>;
