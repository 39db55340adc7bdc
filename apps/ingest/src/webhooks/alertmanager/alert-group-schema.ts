import * as z from 'zod';
import { looseStringMap, looseText, optional } from '../shared/parse-payload.js';

/*
 * The Alertmanager webhook payload (webhook_config, version 4), which Grafana's webhook contact point
 * extends. Accepted as the tools and the relays between them really send it: the group needs only its
 * `alerts` array; each alert is parsed on its own (per alert, not per group), and every field the
 * mapping can do without is optional, whatever its value. Unknown fields are dropped, never refused.
 */
const timestamp = z.iso.datetime({ offset: true, error: 'expected an RFC 3339 timestamp' });

export const alertSchema = z.object({
  /** Missing from some relays: then the group's status, else a non-zero `endsAt` in the past says resolved. */
  status: optional(z.enum(['firing', 'resolved'])),
  labels: looseStringMap.default({}),
  annotations: looseStringMap.default({}),
  startsAt: timestamp,
  /** `0001-01-01T00:00:00Z` while firing. */
  endsAt: optional(z.string()),
  generatorURL: optional(z.string()),
  /** Absent before Alertmanager 0.19: derived from the labels, as Alertmanager does. */
  fingerprint: optional(z.string().min(1)),
});

export const alertGroupSchema = z.object({
  version: optional(looseText),
  groupKey: optional(looseText),
  truncatedAlerts: optional(z.number()),
  status: optional(z.enum(['firing', 'resolved'])),
  receiver: optional(z.string()),
  groupLabels: looseStringMap.optional(),
  commonLabels: looseStringMap.optional(),
  commonAnnotations: looseStringMap.optional(),
  externalURL: optional(z.string()),
  alerts: z.array(z.unknown(), { error: 'expected the array of alerts of an Alertmanager or Grafana notification' }),
});

export type Alert = z.output<typeof alertSchema>;
export type AlertGroup = z.output<typeof alertGroupSchema>;
