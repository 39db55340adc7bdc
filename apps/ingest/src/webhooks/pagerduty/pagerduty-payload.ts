import * as z from 'zod';
import { optional } from '../shared/parse-payload.js';

/*
 * PagerDuty webhooks v3: one `event` per delivery. `event.data` depends on the event type: an
 * `incident`, an `incident_note` (annotated), an `incident_status_update` or an `incident_responder`;
 * one loose schema covers all of them, each mapping picks what its type carries. Only the event's id,
 * type and time are needed; every reference object may be `null` (PagerDuty sends `"agent": null` for
 * system actions, `"priority": null` without priorities, `"escalation_policy": null` on some accounts),
 * and a field of an unexpected shape counts as absent rather than losing the event.
 */
const reference = z.object({
  id: optional(z.string()),
  type: optional(z.string()),
  summary: optional(z.string()),
  html_url: optional(z.string()),
});
const optionalReference = optional(reference);

const eventData = z.object({
  id: optional(z.string()),
  type: optional(z.string()),
  number: optional(z.number()),
  title: optional(z.string()),
  status: optional(z.string()),
  urgency: optional(z.string()),
  incident_key: optional(z.string()),
  service: optionalReference,
  assignees: optional(z.array(reference)),
  escalation_policy: optionalReference,
  priority: optionalReference,
  /** incident_note */
  content: optional(z.string()),
  /** incident_status_update and incident_responder */
  message: optional(z.string()),
  /** The incident a note, status update or responder request belongs to. */
  incident: optionalReference,
  /** incident_responder */
  user: optionalReference,
  state: optional(z.string()),
});

export const pagerDutyPayloadSchema = z.object({
  event: z.object({
    id: z.string().min(1),
    event_type: z.string().min(1),
    resource_type: optional(z.string()),
    occurred_at: z.string(),
    agent: optionalReference,
    client: optional(z.object({ name: optional(z.string()) })),
    data: z.preprocess((data) => data ?? {}, eventData),
  }),
});

export type PagerDutyEvent = z.output<typeof pagerDutyPayloadSchema>['event'];
export type PagerDutyData = PagerDutyEvent['data'];
