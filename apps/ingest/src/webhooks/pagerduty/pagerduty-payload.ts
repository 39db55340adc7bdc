import * as z from 'zod';

/*
 * PagerDuty webhooks v3: one `event` per delivery. `event.data` depends on the event type: an
 * `incident`, an `incident_note` (annotated), an `incident_status_update` or an `incident_responder`;
 * one loose schema covers all of them, each mapping picks what its type carries.
 */
const reference = z.object({
  id: z.string().optional(),
  type: z.string().optional(),
  summary: z.string().nullish(),
  html_url: z.string().nullish(),
});

const eventData = z.object({
  id: z.string().optional(),
  type: z.string().optional(),
  number: z.number().optional(),
  title: z.string().optional(),
  status: z.string().optional(),
  urgency: z.string().optional(),
  incident_key: z.string().nullish(),
  service: reference.optional(),
  assignees: z.array(reference).nullish(),
  escalation_policy: reference.nullish(),
  priority: reference.nullish(),
  /** incident_note */
  content: z.string().optional(),
  /** incident_status_update and incident_responder */
  message: z.string().nullish(),
  /** The incident a note, status update or responder request belongs to. */
  incident: reference.optional(),
  /** incident_responder */
  user: reference.optional(),
  state: z.string().optional(),
});

export const pagerDutyPayloadSchema = z.object({
  event: z.object({
    id: z.string().min(1),
    event_type: z.string().min(1),
    resource_type: z.string(),
    occurred_at: z.string(),
    agent: reference.nullish(),
    client: z.object({ name: z.string().optional() }).nullish(),
    data: eventData,
  }),
});

export type PagerDutyEvent = z.output<typeof pagerDutyPayloadSchema>['event'];
export type PagerDutyData = PagerDutyEvent['data'];
